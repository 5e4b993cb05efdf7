"""The review session's calls on the database lane, one after the other, so the session object
(which holds no lock) is only ever used by one thread at a time. Calls that move to another
question also render it (off the GUI thread) before it comes back."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from desktop.core.practice import ReviewSession
from desktop.ui.practice.shown import ShownQuestion, prepare_shown
from desktop.ui.tasks import Lane, TaskContext, TaskFailure, TaskRunner

Moved = tuple[object, ShownQuestion | None]


class SessionLane:
    def __init__(self, runner: TaskRunner, on_failure: Callable[[TaskFailure], None]) -> None:
        self._runner = runner
        self._on_failure = on_failure
        self.session: ReviewSession | None = None

    def open(
        self,
        new_session: Callable[[], ReviewSession],
        *,
        dark: bool,
        done: Callable[[ShownQuestion | None], None],
    ) -> None:
        """Builds a session (its settings are read from the database) and starts it."""

        def open_session(_context: TaskContext) -> ShownQuestion | None:
            self.session = new_session()
            return prepare_shown(self.session.start(), dark=dark)

        self._runner.submit(
            Lane.DATABASE,
            "starting the review",
            open_session,
            on_success=done,
            on_failure=self._on_failure,
        )

    def run(
        self, doing: str, work: Callable[[ReviewSession], Any], done: Callable[[Any], None]
    ) -> None:
        session = self.session
        assert session is not None
        self._runner.submit(
            Lane.DATABASE,
            doing,
            lambda _c: work(session),
            on_success=done,
            on_failure=self._on_failure,
        )

    def move(
        self,
        doing: str,
        work: Callable[[ReviewSession], object],
        *,
        dark: bool,
        done: Callable[[Moved], None],
    ) -> None:
        """Runs `work`, then renders the question the session is on (None: nothing left)."""

        def step(session: ReviewSession) -> Moved:
            result = work(session)
            return result, prepare_shown(session.current, dark=dark)

        self.run(doing, step, done)

    def close(self) -> None:
        """Records the end of the session (queued: it runs after any write before it)."""
        session, self.session = self.session, None
        if session is not None:
            self._runner.submit(Lane.DATABASE, "closing the session", lambda _c: session.finish())
