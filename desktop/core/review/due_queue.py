"""What to practise next: the due queue, its filters, its daily limits, and the card store.

Queue order (as Anki's): questions in (re)learning whose step has come due, then review
questions due by the end of the study day (most overdue first), then new questions in bank
order. Reviews stop
at the daily review limit and new questions at the daily new limit, both counted over the
current study day. Retired and suspended questions never appear; a buried question appears again
once its bury ends.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from desktop.core.review.cards import CardSnapshot, CardState
from desktop.core.review.review_store import DailyCounts
from desktop.core.review.schedule_settings import NewOrder, ScheduleSettings
from desktop.core.review.study_day import StudyDay, require_aware

DEFAULT_PAGE = 50


@dataclass(frozen=True)
class QueueFilter:
    """Narrows the queue; several values of one field are alternatives, fields combine.

    `topics` match a topic path or any path under it ("13.1 PyTorch" matches
    "13.1 PyTorch > Autograd Mechanism"); `decks` match a deck's name.
    """

    decks: tuple[str, ...] = ()
    topics: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    kinds: tuple[str, ...] = ()


NO_FILTER = QueueFilter()


@dataclass(frozen=True)
class QueueRequest:
    """One page of the queue at `at`, with the room left under today's limits."""

    at: datetime
    day: StudyDay
    new_allowed: int
    reviews_allowed: int
    filters: QueueFilter = NO_FILTER
    limit: int = DEFAULT_PAGE
    exclude: frozenset[int] = frozenset()
    new_order: NewOrder = NewOrder.MIXED


@dataclass(frozen=True)
class QueueEntry:
    """A question in the queue. `card` is None for a question never seen; its `due` is `at`."""

    question_id: int
    state: CardState
    due: datetime
    card: CardSnapshot | None = None


class CardStore(Protocol):
    """Cards and the queue query; implemented by `desktop.storage.cards.CardRepository`."""

    def card(self, question_id: int) -> CardSnapshot | None: ...

    def due_queue(self, request: QueueRequest) -> list[QueueEntry]: ...

    def bury(self, question_id: int, until: datetime, *, at: datetime) -> None: ...

    def next_learning_due(self, at: datetime, filters: QueueFilter) -> datetime | None:
        """When the next (re)learning step after `at` comes due, if any."""
        ...


class DailyCountSource(Protocol):
    def daily_counts(self, day: StudyDay) -> DailyCounts: ...


def queue_request(
    settings: ScheduleSettings,
    counts: DailyCounts,
    at: datetime,
    *,
    filters: QueueFilter = NO_FILTER,
    limit: int = DEFAULT_PAGE,
    exclude: frozenset[int] = frozenset(),
) -> QueueRequest:
    """A queue request with today's remaining allowance under the settings' limits."""
    at = require_aware(at)
    return QueueRequest(
        at=at,
        day=settings.study_day(at),
        new_allowed=max(0, settings.new_per_day - counts.new),
        reviews_allowed=max(0, settings.reviews_per_day - counts.reviews),
        filters=filters,
        limit=limit,
        exclude=exclude,
        new_order=settings.new_order,
    )


def due_questions(
    cards: CardStore,
    reviews: DailyCountSource,
    settings: ScheduleSettings,
    at: datetime,
    *,
    filters: QueueFilter = NO_FILTER,
    limit: int = DEFAULT_PAGE,
    exclude: frozenset[int] = frozenset(),
) -> list[QueueEntry]:
    """The first `limit` questions of the queue at `at`."""
    at = require_aware(at)
    counts = reviews.daily_counts(settings.study_day(at))
    request = queue_request(settings, counts, at, filters=filters, limit=limit, exclude=exclude)
    return cards.due_queue(request)
