"""The learner's history as plain records, and the Protocol of whatever can read it.

A progress report is computed from these records alone: reviews in a period, every question in
scope with its current card, and the practice sessions started in the period. `storage`
implements `HistorySource` over the database; `reports` computes statistics from what it
returns, so neither knows the other.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol

from desktop.core.bank.questions import TOPIC_SEPARATOR, QuestionKind, QuestionStatus
from desktop.core.grading.grades import KeyPointVerdict
from desktop.core.review.cards import CardSnapshot, Rating, ReviewStatus

UNSORTED_TOPIC = "(no topic)"

# "13.1 PyTorch" -> "PyTorch": notes number their headings, people type the name.
_HEADING_NUMBER = re.compile(r"^[\d.]+\s+")


def _plain(text: str) -> str:
    return " ".join(text.split()).casefold()


@dataclass(frozen=True)
class HistoryScope:
    """Which questions a report covers: all of them, or those under some decks / topics.

    A topic filter matches a question whose topic path equals it, starts with it
    ("13.1 PyTorch" matches "13.1 PyTorch > Autograd Mechanism"), or has a heading equal to
    it once the heading's number is dropped ("PyTorch"). Case and spacing are ignored. A deck
    filter matches the deck's name or title. Filters of one kind are alternatives; decks and
    topics together must both match.
    """

    topics: tuple[str, ...] = ()
    decks: tuple[str, ...] = ()

    @property
    def is_everything(self) -> bool:
        return not self.topics and not self.decks

    def matches_topic(self, wanted: str, topic: str) -> bool:
        want = _plain(wanted)
        path = _plain(topic)
        if not want:
            return False
        if path == want or path.startswith(want + TOPIC_SEPARATOR):
            return True
        parts = topic.split(TOPIC_SEPARATOR)
        headings = {_plain(part) for part in parts}
        headings.update(_plain(_HEADING_NUMBER.sub("", part)) for part in parts)
        return want in headings

    def includes(self, deck: str, topic: str, *, deck_title: str = "") -> bool:
        if self.decks and not any(
            _plain(wanted) in (_plain(deck), _plain(deck_title)) for wanted in self.decks
        ):
            return False
        return not self.topics or any(self.matches_topic(wanted, topic) for wanted in self.topics)


@dataclass(frozen=True)
class HistoryQuery:
    """What to read: a scope and a half-open UTC interval [since, until) of review times.

    `since=None` reads from the first review; `until=None` up to the last.
    """

    scope: HistoryScope = field(default_factory=HistoryScope)
    since: datetime | None = None
    until: datetime | None = None


@dataclass(frozen=True)
class ReviewRecord:
    """One answer as the report sees it (the answer text itself is not needed)."""

    id: int
    question_id: int
    deck: str
    topic: str
    reviewed_at: datetime
    duration_ms: int
    status: ReviewStatus
    score: float | None
    key_points: tuple[KeyPointVerdict, ...]
    model: str
    suggested_rating: Rating | None
    rating: Rating
    overridden: bool
    counted: bool
    session_id: int | None

    @property
    def recalled(self) -> bool:
        return self.rating > Rating.AGAIN

    @property
    def override_direction(self) -> int:
        """+1 when the learner rated higher than the grader suggested, -1 lower, 0 otherwise."""
        if not self.overridden or self.suggested_rating is None:
            return 0
        return (self.rating > self.suggested_rating) - (self.rating < self.suggested_rating)


@dataclass(frozen=True)
class QuestionRecord:
    """A question in scope with its current card (None until first seen) and latest score."""

    id: int
    deck: str
    topic: str
    kind: QuestionKind
    status: QuestionStatus
    prompt: str
    card: CardSnapshot | None
    last_score: float | None = None
    reference: str = ""


@dataclass(frozen=True)
class SessionRecord:
    """A practice session: kind "review" or "mock"."""

    id: int
    kind: str
    started_at: datetime
    finished_at: datetime | None
    counts_toward_schedule: bool

    @property
    def is_mock(self) -> bool:
        return self.kind == "mock"


@dataclass(frozen=True)
class History:
    """What a `HistoryQuery` read.

    `reviews` are those in the interval, oldest first; `activity_times` are the times of every
    review in scope before `until` (also those before `since`), so a streak that began before
    the period is counted whole. `topics` lists every (deck, topic) pair in the bank, in scope
    or not, so a filter that matches nothing can be told apart from a quiet period.
    """

    reviews: tuple[ReviewRecord, ...] = ()
    questions: tuple[QuestionRecord, ...] = ()
    sessions: tuple[SessionRecord, ...] = ()
    activity_times: tuple[datetime, ...] = ()
    topics: tuple[tuple[str, str], ...] = ()


class HistorySource(Protocol):
    """Reads the learner's history; implemented by `desktop.storage.history`."""

    def load_history(self, query: HistoryQuery) -> History: ...
