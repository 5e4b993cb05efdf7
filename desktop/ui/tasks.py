"""The one place that starts threads: a database lane, a model lane and a quick lane, one
worker each.

Slow work (queries, imports, exports, loading a model, grading) runs on a lane; its result,
failure and progress come back to the GUI thread through Qt signals, so widgets are only ever
touched from the GUI thread. The model lane has a single worker because a `Llama` is not
thread-safe; the database lane has one so writes keep their order; the quick lane runs short pure
computations that must never wait behind either (a grade's first look). Cancel is cooperative: the
work function receives a `TaskContext` whose `threading.Event` it checks, and raises `Cancelled`
(from wherever it noticed) to end as cancelled.
"""

from __future__ import annotations

import itertools
import logging
import sys
import threading
import traceback
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QObject, Qt, Signal, Slot

from desktop.core.errors import Cancelled, VivaError

log = logging.getLogger(__name__)

# Every event the GUI thread delivers to one of our widgets needs the GIL, and a worker running
# Python (the model lane's token loop) keeps it for up to the interpreter's switch interval
# (5 ms by default) each time. A frame needs the GIL dozens of times, so with the default the
# window stutters while a grade runs; 0.5 ms keeps it fluid at a negligible cost to the worker.
GIL_SWITCH_INTERVAL_S = 0.0005


class Lane(StrEnum):
    DATABASE = "database"
    MODEL = "model"
    QUICK = "quick"


@dataclass(frozen=True)
class TaskFailure:
    """Why a task failed: a sentence for the person, and the technical details to copy."""

    message: str
    details: str = ""


class TaskContext:
    """What the work function gets: the cancel event and a way to report progress."""

    def __init__(self, cancel: threading.Event, report: Callable[[object], None]) -> None:
        self.cancel = cancel
        self._report = report

    @property
    def cancelled(self) -> bool:
        return self.cancel.is_set()

    def report(self, progress: object) -> None:
        """Sends `progress` (a fraction, a text chunk ...) to the GUI thread."""
        self._report(progress)

    def raise_if_cancelled(self) -> None:
        if self.cancel.is_set():
            raise Cancelled


T = TypeVar("T")
_ORDER = itertools.count()


@dataclass(frozen=True)
class TaskCallbacks(Generic[T]):
    """What the GUI thread is told about a task: exactly one of success, failure or cancel;
    progress any number of times before that."""

    on_success: Callable[[T], None] | None = None
    on_failure: Callable[[TaskFailure], None] | None = None
    on_progress: Callable[[Any], None] | None = None
    on_cancel: Callable[[], None] | None = None


class Task(QObject, Generic[T]):
    """One unit of work on a lane. Its outcome reaches the callbacks in the GUI thread."""

    _delivered = Signal(str, object)

    def __init__(
        self,
        description: str,
        lane: Lane,
        callbacks: TaskCallbacks[T],
        *,
        background: bool = False,
        on_done: Callable[[Task[Any]], None] | None = None,
    ) -> None:
        super().__init__()
        self.description = description
        self.lane = lane
        self.background = background
        self.cancel_event = threading.Event()
        self.done = False
        self.order = next(_ORDER)  # when it was submitted, among every task
        self._callbacks = callbacks
        self._on_done = on_done
        # Queued: the worker thread emits, the GUI thread delivers.
        self._delivered.connect(self._on_delivered, Qt.ConnectionType.QueuedConnection)

    def cancel(self) -> None:
        self.cancel_event.set()

    def run(self, work: Callable[[TaskContext], T]) -> None:
        """Runs in the lane's worker thread."""
        if self.cancel_event.is_set():
            self._delivered.emit("cancelled", None)
            return
        context = TaskContext(self.cancel_event, self._report_progress)
        try:
            result = work(context)
        except Cancelled:
            self._delivered.emit("cancelled", None)
        except VivaError as error:
            self._delivered.emit("failed", TaskFailure(error.message, error.details))
        except Exception as error:  # any bug becomes a message, never a dead worker
            log.exception("%s failed", self.description)
            message = f"Something went wrong while {self.description}: {error}"
            self._delivered.emit("failed", TaskFailure(message, traceback.format_exc()))
        else:
            self._delivered.emit("succeeded", result)

    def _report_progress(self, value: object) -> None:
        self._delivered.emit("progress", value)

    @Slot(str, object)
    def _on_delivered(self, kind: str, payload: Any) -> None:
        calls = self._callbacks
        if kind == "progress":
            if not self.done and calls.on_progress is not None:
                calls.on_progress(payload)
            return
        self.done = True
        if kind == "succeeded":
            if calls.on_success is not None:
                calls.on_success(payload)
        elif kind == "failed":
            if calls.on_failure is not None:
                calls.on_failure(payload)
        elif calls.on_cancel is not None:
            calls.on_cancel()
        if self._on_done is not None:
            self._on_done(self)


class TaskRunner(QObject):
    """Owns the lanes. `submit` queues work and returns its `Task`, to cancel it."""

    busy_changed = Signal(bool)
    activity_changed = Signal(str)  # what is running, in words ("" when nothing is)

    def __init__(self) -> None:
        super().__init__()
        sys.setswitchinterval(GIL_SWITCH_INTERVAL_S)
        self._executors = {
            lane: ThreadPoolExecutor(max_workers=1, thread_name_prefix=f"viva-{lane.value}")
            for lane in Lane
        }
        self._running: set[Task[Any]] = set()
        self._closed = False

    def submit(
        self,
        lane: Lane,
        description: str,
        work: Callable[[TaskContext], T],
        *,
        on_success: Callable[[T], None] | None = None,
        on_failure: Callable[[TaskFailure], None] | None = None,
        on_progress: Callable[[Any], None] | None = None,
        on_cancel: Callable[[], None] | None = None,
        background: bool = False,
    ) -> Task[T]:
        """Queues `work` on `lane`. `description` completes "Something went wrong while ...".

        A `background` task (a reliability check, warming the model) gives way: submitting
        any other task to its lane cancels it, so the learner never waits behind it.
        """
        if not background:
            for queued in self.pending(lane):
                if queued.background:
                    queued.cancel()
        callbacks = TaskCallbacks(on_success, on_failure, on_progress, on_cancel)
        task = Task(
            description, lane, callbacks, background=background, on_done=self._on_task_finished
        )
        if self._closed:
            task.cancel()
            task._delivered.emit("cancelled", None)
            return task
        was_idle = not self._running
        self._running.add(task)
        future: Future[None] = self._executors[lane].submit(task.run, work)
        del future  # results travel through the task's signals
        if was_idle:
            self.busy_changed.emit(True)
        self.activity_changed.emit(self.activity())
        return task

    @property
    def is_busy(self) -> bool:
        return bool(self._running)

    def pending(self, lane: Lane | None = None) -> list[Task[Any]]:
        return [task for task in self._running if lane is None or task.lane is lane]

    def cancel_lane(self, lane: Lane) -> None:
        for task in self.pending(lane):
            task.cancel()

    def activity(self) -> str:
        """What the person is waiting for: the oldest task they asked for, else the oldest
        background one, as a sentence ("Grading the answer…"); "" when idle."""
        running = sorted(self._running, key=lambda task: (task.background, task.order))
        if not running:
            return ""
        doing = running[0].description
        return f"{doing[:1].upper()}{doing[1:]}…"

    def _on_task_finished(self, task: Task[Any]) -> None:
        self._running.discard(task)
        if not self._running:
            self.busy_changed.emit(False)
        self.activity_changed.emit(self.activity())

    def shutdown(self) -> None:
        """Cancels model work, lets database work finish (a queued write is never dropped),
        and joins both workers. Called once, when the app quits."""
        if self._closed:
            return
        self._closed = True
        self.cancel_lane(Lane.MODEL)
        self._executors[Lane.MODEL].shutdown(wait=True, cancel_futures=True)
        self._executors[Lane.QUICK].shutdown(wait=True, cancel_futures=True)
        self._executors[Lane.DATABASE].shutdown(wait=True)
