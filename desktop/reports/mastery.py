"""Mastery statistics: retention, FSRS retrievability now, question stages, due forecast.

Retrievability follows the FSRS-6 forgetting curve, as `fsrs.Scheduler.get_card_retrievability`
computes it (a test checks the two agree):

    R(t, S) = (1 + F * t / S) ** -d,    F = 0.9 ** (-1 / d) - 1

with t the whole days elapsed since the last review, S the card's stability in days, and d the
decay (the 21st FSRS parameter; 0.1542 unless the learner optimised the parameters). F makes
R(S, S) = 0.9: stability is the interval after which recall falls to 90%.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import date, datetime, timedelta

from desktop.core.bank.questions import QuestionStatus
from desktop.core.reports.history import QuestionRecord, ReviewRecord
from desktop.core.reports.report import (
    FORECAST_DAYS,
    MATURE_STABILITY_DAYS,
    DueDay,
    Mastery,
    TopicStanding,
)
from desktop.core.review.cards import CardSnapshot, CardState
from desktop.reports.days import StudyCalendar

FSRS_DEFAULT_DECAY = 0.1542
FSRS_DECAY_INDEX = 20


def decay_from_parameters(parameters: Sequence[float]) -> float:
    """The decay of optimised FSRS parameters, or the default when there are none."""
    return (
        parameters[FSRS_DECAY_INDEX] if len(parameters) > FSRS_DECAY_INDEX else FSRS_DEFAULT_DECAY
    )


def retrievability(
    stability: float, elapsed_days: float, decay: float = FSRS_DEFAULT_DECAY
) -> float:
    """Probability of recall after `elapsed_days` for a memory of the given stability."""
    factor = 0.9 ** (-1 / decay) - 1
    return float((1 + factor * max(elapsed_days, 0.0) / stability) ** -decay)


def card_retrievability(
    card: CardSnapshot | None, now: datetime, decay: float = FSRS_DEFAULT_DECAY
) -> float | None:
    """None for a question never reviewed (nothing to forget yet)."""
    if card is None or card.state is CardState.NEW or card.last_review is None:
        return None
    if not card.stability:
        return None
    return retrievability(card.stability, (now - card.last_review).days, decay)


def stage(card: CardSnapshot | None) -> str:
    """The stage of a question: new, learning (seen, not mature) or mature (in review with a
    stability of at least 21 days)."""
    if card is None or card.state is CardState.NEW:
        return "new"
    if card.state is CardState.REVIEW and (card.stability or 0.0) >= MATURE_STABILITY_DAYS:
        return "mature"
    return "learning"


def topic_order(topic: str) -> tuple[tuple[int, int | str], ...]:
    """Sorts "13.2 Tools" before "13.10 Tips": numbers by value, words without case."""
    parts = re.split(r"(\d+)", topic.casefold())
    return tuple((0, int(part)) if part.isdigit() else (1, part) for part in parts if part)


def _share(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def mean(values: Iterable[float]) -> float | None:
    items = list(values)
    return sum(items) / len(items) if items else None


def due_forecast(
    questions: Iterable[QuestionRecord], now: datetime, calendar: StudyCalendar
) -> tuple[int, tuple[DueDay, ...]]:
    """(overdue, due per study day for the next 30 days, today first and including overdue)."""
    today = calendar.day_of(now)
    per_day = [0] * FORECAST_DAYS
    overdue = 0
    for question in questions:
        card = question.card
        if card is None or card.state is CardState.NEW:
            continue
        due = max(card.due, card.buried_until) if card.buried_until else card.due
        offset = (calendar.day_of(due) - today).days
        if offset < 0:
            overdue += 1
        if offset < FORECAST_DAYS:
            per_day[max(offset, 0)] += 1
    days = tuple(DueDay(today + timedelta(days=i), count) for i, count in enumerate(per_day))
    return overdue, days


def mastery(
    reviews: Sequence[ReviewRecord],
    questions: Sequence[QuestionRecord],
    now: datetime,
    calendar: StudyCalendar,
    decay: float,
) -> Mastery:
    active = [q for q in questions if q.status is QuestionStatus.ACTIVE]
    stages = [stage(q.card) for q in active]
    recalled = sum(1 for review in reviews if review.recalled)
    overdue, forecast = due_forecast(active, now, calendar)
    return Mastery(
        reviews=len(reviews),
        recalled=recalled,
        retention=_share(recalled, len(reviews)),
        retrievability=mean(
            r for q in active if (r := card_retrievability(q.card, now, decay)) is not None
        ),
        new=stages.count("new"),
        learning=stages.count("learning"),
        mature=stages.count("mature"),
        suspended=sum(1 for q in questions if q.status is QuestionStatus.SUSPENDED),
        retired=sum(1 for q in questions if q.status is QuestionStatus.RETIRED),
        overdue=overdue,
        forecast=forecast,
    )


def topic_summaries(
    reviews: Sequence[ReviewRecord],
    questions: Sequence[QuestionRecord],
    now: datetime,
    decay: float,
) -> tuple[TopicStanding, ...]:
    """One row per topic with an active question or a review in the period, by topic name."""
    by_topic: dict[str, list[ReviewRecord]] = defaultdict(list)
    for review in reviews:
        by_topic[review.topic].append(review)
    cards: dict[str, list[QuestionRecord]] = defaultdict(list)
    for question in questions:
        if question.status is QuestionStatus.ACTIVE:
            cards[question.topic].append(question)
    rows = []
    for topic in sorted(set(by_topic) | set(cards), key=topic_order):
        topic_reviews = by_topic.get(topic, [])
        scores = [r.score for r in topic_reviews if r.score is not None]
        recalled = sum(1 for r in topic_reviews if r.recalled)
        rows.append(
            TopicStanding(
                topic=topic,
                questions=len(cards.get(topic, [])),
                reviews=len(topic_reviews),
                recalled=recalled,
                retention=_share(recalled, len(topic_reviews)),
                graded=len(scores),
                average_score=mean(scores),
                retrievability=mean(
                    r
                    for q in cards.get(topic, [])
                    if (r := card_retrievability(q.card, now, decay)) is not None
                ),
            )
        )
    return tuple(rows)


def first_day(reviews: Sequence[ReviewRecord], calendar: StudyCalendar) -> date | None:
    return calendar.day_of(reviews[0].reviewed_at) if reviews else None
