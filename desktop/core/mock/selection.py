"""Choosing the questions of a mock interview: weighted toward weak and due ones, reproducibly.

Each candidate gets a weight (a new question 1.5; a studied one 1, plus up to 2 for how much of
it is probably forgotten, 1.5 if it is due, 0.5 per lapse up to 5 lapses, and up to 2 for a low
last score), and N distinct questions are drawn with probability proportional to their weights
(Efraimidis and Spirakis: the N largest `u ** (1 / weight)`). The same seed and the same bank
give the same interview.
"""

from __future__ import annotations

import heapq
import random
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from desktop.core.review.cards import CardSnapshot, CardState
from desktop.core.review.due_queue import QueueFilter
from desktop.core.review.scheduler import CardScheduler

NEW_QUESTION_WEIGHT = 1.5
MAX_COUNTED_LAPSES = 5


@dataclass(frozen=True)
class MockCandidate:
    """A question that may be asked, its card (None: never seen) and its latest graded score."""

    question_id: int
    card: CardSnapshot | None
    last_score: float | None


class MockCandidateSource(Protocol):
    """Active questions matching a filter, in a stable order (implemented in `storage`)."""

    def mock_candidates(self, filters: QueueFilter) -> list[MockCandidate]: ...


def weakness_weight(candidate: MockCandidate, scheduler: CardScheduler, now: datetime) -> float:
    """How strongly a question should be favoured; always positive."""
    card = candidate.card
    if card is None or card.state is CardState.NEW:
        return NEW_QUESTION_WEIGHT
    weight = 1.0 + 2.0 * (1.0 - scheduler.retrievability(card, now))
    if card.due <= now:
        weight += 1.5
    weight += 0.5 * min(card.lapses, MAX_COUNTED_LAPSES)
    if candidate.last_score is not None:
        weight += 2.0 * (1.0 - min(1.0, max(0.0, candidate.last_score)))
    return weight


def choose_questions(
    candidates: list[MockCandidate],
    count: int,
    *,
    scheduler: CardScheduler,
    now: datetime,
    seed: int,
) -> list[int]:
    """Up to `count` distinct question ids, weak and due ones more likely, in asking order."""
    rng = random.Random(seed)
    keyed = [
        (rng.random() ** (1.0 / weakness_weight(candidate, scheduler, now)), candidate.question_id)
        for candidate in candidates
    ]
    return [question_id for _key, question_id in heapq.nlargest(count, keyed)]
