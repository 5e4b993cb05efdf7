"""What a practice session needs from the rest of the app, as Protocols, and the session record.

A review session and a mock interview each keep a `practice_sessions` row: when it started and
ended, its configuration (for a mock interview also the chosen questions and the answers given
so far, so an interview interrupted by a crash can be resumed), and whether it counts toward the
schedule.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any, Protocol

from desktop.core.bank.questions import Question
from desktop.core.review.review_store import StoredReview

Clock = Callable[[], datetime]


def utc_now() -> datetime:
    return datetime.now(UTC)


class SessionKind(StrEnum):
    REVIEW = "review"
    MOCK = "mock"


@dataclass(frozen=True)
class PracticeSessionInfo:
    id: int
    kind: SessionKind
    started_at: datetime
    finished_at: datetime | None
    config: dict[str, Any]
    counts_toward_schedule: bool


class QuestionLookup(Protocol):
    """Reads one question (the bank's `QuestionBankStore.get` fits)."""

    def get(self, question_id: int) -> Question:
        """Raises `NotFoundError` when there is no such question."""
        ...


class PracticeSessionStore(Protocol):
    """Session rows; implemented by `desktop.storage.practice_sessions`."""

    def start_session(
        self, kind: SessionKind, config: dict[str, Any], *, counts: bool, at: datetime
    ) -> int: ...

    def save_config(self, session_id: int, config: dict[str, Any]) -> None: ...

    def finish_session(self, session_id: int, at: datetime, *, counts: bool) -> None: ...

    def session(self, session_id: int) -> PracticeSessionInfo | None: ...

    def unfinished_sessions(self, kind: SessionKind) -> list[PracticeSessionInfo]:
        """Sessions of `kind` never finished (newest first): what a crash left behind."""
        ...

    def reviews_in_session(self, session_id: int) -> list[StoredReview]: ...
