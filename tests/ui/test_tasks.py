"""The task runner: work runs off the GUI thread, results come back on it, cancel is honoured."""

from __future__ import annotations

import threading

from pytestqt.qtbot import QtBot

from desktop.core.errors import Cancelled, VivaError
from desktop.ui.tasks import Lane, TaskContext, TaskFailure, TaskRunner


def test_work_runs_off_the_gui_thread_and_delivers_on_it(qtbot: QtBot) -> None:
    runner = TaskRunner()
    gui_thread = threading.current_thread()
    seen: dict[str, object] = {}

    def work(context: TaskContext) -> str:
        seen["worker"] = threading.current_thread()
        context.report(0.5)
        return "done"

    def on_success(result: object) -> None:
        seen["result"] = result
        seen["delivered_on"] = threading.current_thread()

    task = runner.submit(
        Lane.DATABASE,
        "testing",
        work,
        on_success=on_success,
        on_progress=lambda value: seen.setdefault("progress", value),
    )
    qtbot.waitUntil(lambda: task.done)
    assert seen["worker"] is not gui_thread
    assert seen["delivered_on"] is gui_thread
    assert seen["result"] == "done"
    assert seen["progress"] == 0.5
    runner.shutdown()


def test_each_lane_runs_one_task_at_a_time_in_order(qtbot: QtBot) -> None:
    runner = TaskRunner()
    order: list[int] = []
    tasks = [
        runner.submit(Lane.MODEL, "testing", lambda _c, n=n: order.append(n)) for n in range(5)
    ]
    qtbot.waitUntil(lambda: all(task.done for task in tasks))
    assert order == [0, 1, 2, 3, 4]
    runner.shutdown()


def test_failures_become_messages_with_details(qtbot: QtBot) -> None:
    runner = TaskRunner()
    failures: list[TaskFailure] = []

    def broken(_context: TaskContext) -> None:
        raise ZeroDivisionError("division by zero")

    def refused(_context: TaskContext) -> None:
        raise VivaError("The file is not a notes file.", details="line 3")

    first = runner.submit(Lane.DATABASE, "importing", broken, on_failure=failures.append)
    second = runner.submit(Lane.DATABASE, "importing", refused, on_failure=failures.append)
    qtbot.waitUntil(lambda: first.done and second.done)
    assert failures[0].message == "Something went wrong while importing: division by zero"
    assert "ZeroDivisionError" in failures[0].details
    assert failures[1] == TaskFailure("The file is not a notes file.", "line 3")
    runner.shutdown()


def test_cancel_is_cooperative(qtbot: QtBot) -> None:
    runner = TaskRunner()
    started = threading.Event()

    def slow(context: TaskContext) -> None:
        started.set()
        while True:
            context.raise_if_cancelled()
            context.cancel.wait(0.01)

    cancelled: list[bool] = []
    task = runner.submit(Lane.MODEL, "grading", slow, on_cancel=lambda: cancelled.append(True))
    assert started.wait(5)
    task.cancel()
    qtbot.waitUntil(lambda: task.done)
    assert cancelled == [True]
    runner.shutdown()


def test_shutdown_cancels_model_work_and_finishes_database_writes(qtbot: QtBot) -> None:
    runner = TaskRunner()
    started = threading.Event()
    written: list[str] = []

    def grade(context: TaskContext) -> None:
        started.set()
        while not context.cancelled:
            context.cancel.wait(0.01)
        raise Cancelled

    runner.submit(Lane.MODEL, "grading", grade)
    runner.submit(Lane.DATABASE, "saving", lambda _c: written.append("review"))
    assert started.wait(5)
    runner.shutdown()
    assert written == ["review"]
    assert runner.submit(
        Lane.DATABASE, "late", lambda _c: written.append("late")
    ).cancel_event.is_set()


def test_the_runner_says_what_it_is_doing(qtbot: QtBot) -> None:
    runner = TaskRunner()
    said: list[str] = []
    runner.activity_changed.connect(said.append)
    release = threading.Event()
    background = runner.submit(
        Lane.MODEL, "checking the model's reliability", lambda c: release.wait(5), background=True
    )
    assert runner.activity() == "Checking the model's reliability…"
    runner.submit(Lane.DATABASE, "reading the question bank", lambda c: release.wait(5))
    assert runner.activity() == "Reading the question bank…"  # what the learner asked for first
    release.set()
    qtbot.waitUntil(lambda: not runner.is_busy)
    assert said[-1] == "" and background.done
    runner.shutdown()
