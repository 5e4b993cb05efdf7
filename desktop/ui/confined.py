"""An object that lives on one lane: built there, used there, finished there.

A review session or a mock interview holds no lock, so it must only ever be used by one thread.
`Confined` makes that the only way to reach it: the GUI thread never holds the object, it queues
calls that run on the lane in order, and gets back what they return, which should be an
immutable snapshot (a frozen dataclass, a number), never the object or a live list of it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Generic, TypeVar

from desktop.core.errors import Cancelled
from desktop.ui.tasks import Lane, TaskContext, TaskFailure, TaskRunner

T = TypeVar("T")
R = TypeVar("R")


class Confined(Generic[T]):
    def __init__(
        self, runner: TaskRunner, lane: Lane, on_failure: Callable[[TaskFailure], None]
    ) -> None:
        self._runner = runner
        self._lane = lane
        self._on_failure = on_failure
        self._held: T | None = None  # read and written on the lane only
        self.is_open = False  # the GUI thread's view: opened and not closed since

    def open(
        self, doing: str, build: Callable[[], T], then: Callable[[T], R], done: Callable[[R], None]
    ) -> None:
        """Builds the object on the lane, runs `then` on it and hands its result to `done`."""
        self.is_open = True

        def opening(_context: TaskContext) -> R:
            self._held = build()
            return then(self._held)

        self._submit(doing, opening, done)

    def call(self, doing: str, work: Callable[[T], R], done: Callable[[R], None]) -> None:
        """Queues `work` after every call before it; `done` gets its result on the GUI thread."""

        def calling(_context: TaskContext) -> R:
            held = self._held
            if held is None:
                raise Cancelled  # it was never built (that failure was reported) or closed
            return work(held)

        self._submit(doing, calling, done)

    def close(self, doing: str, finish: Callable[[T], object] | None = None) -> None:
        """Queues `finish` (after any write before it) and lets go of the object."""
        if not self.is_open:
            return
        self.is_open = False

        def closing(_context: TaskContext) -> None:
            held, self._held = self._held, None
            if held is not None and finish is not None:
                finish(held)

        self._submit(doing, closing, lambda _none: None)

    def _submit(
        self, doing: str, work: Callable[[TaskContext], R], done: Callable[[R], None]
    ) -> None:
        self._runner.submit(self._lane, doing, work, on_success=done, on_failure=self._on_failure)
