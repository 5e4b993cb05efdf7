"""An object confined to a lane: every call runs there, in order; the GUI thread gets only
what the calls return; calls after a failed build end quietly."""

from __future__ import annotations

import threading

from pytestqt.qtbot import QtBot

from desktop.core.errors import VivaError
from desktop.ui.confined import Confined
from desktop.ui.tasks import Lane, TaskFailure, TaskRunner


class Counter:
    def __init__(self) -> None:
        self.threads: set[int] = set()
        self.calls: list[str] = []

    def touch(self, name: str) -> int:
        self.threads.add(threading.get_ident())
        self.calls.append(name)
        return len(self.calls)


def test_calls_run_on_the_lane_in_order_and_return_snapshots(
    qtbot: QtBot, runner: TaskRunner
) -> None:
    failures: list[TaskFailure] = []
    confined = Confined[Counter](runner, Lane.DATABASE, failures.append)
    built: list[Counter] = []
    seen: list[int] = []

    def build() -> Counter:
        counter = Counter()
        built.append(counter)
        return counter

    confined.open("building", build, lambda c: c.touch("open"), seen.append)
    for name in ("a", "b", "c"):
        confined.call(f"calling {name}", lambda c, n=name: c.touch(n), seen.append)
    confined.close("closing", lambda c: c.touch("close"))
    qtbot.waitUntil(lambda: not runner.is_busy)

    assert seen == [1, 2, 3, 4] and not failures
    (counter,) = built
    assert counter.calls == ["open", "a", "b", "c", "close"]
    assert counter.threads and threading.get_ident() not in counter.threads
    assert not confined.is_open


def test_after_a_failed_build_calls_end_without_a_second_failure(
    qtbot: QtBot, runner: TaskRunner
) -> None:
    failures: list[TaskFailure] = []
    confined = Confined[Counter](runner, Lane.DATABASE, failures.append)
    seen: list[int] = []

    def broken() -> Counter:
        raise VivaError("The database is locked.")

    confined.open("building", broken, lambda c: c.touch("open"), seen.append)
    confined.call("calling", lambda c: c.touch("a"), seen.append)
    qtbot.waitUntil(lambda: not runner.is_busy)
    assert [failure.message for failure in failures] == ["The database is locked."]
    assert seen == []
