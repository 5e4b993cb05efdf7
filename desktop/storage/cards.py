"""Cards in the database: reading one, burying one, and the due-queue query.

The queue is a few small queries, each stopping at the page size: (re)learning cards and due
reviews walk the `cards(state, due)` index, so their cost follows the page and not the backlog.
New questions are read in bank order (each deck in the order of its notes; decks taken in turn
or one after another, as the settings say) from the partial index of unseen questions.
"""

from __future__ import annotations

import heapq
from dataclasses import replace
from datetime import datetime
from typing import Any

from sqlalchemy import delete, text, update
from sqlalchemy.orm import Session

from desktop.core.review.cards import CardSnapshot, CardState
from desktop.core.review.due_queue import QueueEntry, QueueFilter, QueueRequest
from desktop.core.review.schedule_settings import NewOrder
from desktop.core.review.study_day import require_aware
from desktop.storage.columns import UTCDateTime
from desktop.storage.database import Database
from desktop.storage.queue_sql import CARD_COLUMNS, filter_clause
from desktop.storage.schema import CardRow, QuestionRow

_TIME = UTCDateTime()

# Taking decks in turn: the first question of each deck, then the second of each, and so on.
_NEW_ORDER = {
    NewOrder.MIXED: "q.position, q.deck_id, q.id",
    NewOrder.DECK_BY_DECK: "q.deck_id, q.position, q.id",
}


def stored_time(moment: datetime) -> str:
    """A datetime as the columns store it, for comparisons in hand-written SQL."""
    text_value = _TIME.process_bind_param(require_aware(moment), None)  # type: ignore[arg-type]
    assert text_value is not None
    return text_value


def card_from_row(row: CardRow) -> CardSnapshot:
    return CardSnapshot(
        question_id=row.question_id,
        state=CardState(row.state),
        due=row.due,
        step=row.step,
        stability=row.stability,
        difficulty=row.difficulty,
        last_review=row.last_review,
        reps=row.reps,
        lapses=row.lapses,
        buried_until=row.buried_until,
    )


def card_from_columns(values: Any) -> CardSnapshot:
    """A card from the raw columns of `CARD_COLUMNS` (hand-written queries)."""
    question_id, state, step, stability, difficulty, due, last_review, reps, lapses, buried = values
    return CardSnapshot(
        question_id=int(question_id),
        state=CardState(state),
        due=_parse(due),
        step=step,
        stability=stability,
        difficulty=difficulty,
        last_review=None if last_review is None else _parse(last_review),
        reps=int(reps),
        lapses=int(lapses),
        buried_until=None if buried is None else _parse(buried),
    )


def _parse(value: str) -> datetime:
    parsed = _TIME.process_result_value(value, None)  # type: ignore[arg-type]
    assert parsed is not None
    return parsed


def write_card(session: Session, card: CardSnapshot) -> None:
    """Creates or overwrites the card row so it equals `card` in every column."""
    row = session.get(CardRow, card.question_id)
    if row is None:
        row = CardRow(question_id=card.question_id)
        session.add(row)
    row.state = card.state.value
    row.step = card.step
    row.stability = card.stability
    row.difficulty = card.difficulty
    row.due = card.due
    row.last_review = card.last_review
    row.reps = card.reps
    row.lapses = card.lapses
    row.buried_until = card.buried_until
    _mark_seen(session, card.question_id, seen=card.state is not CardState.NEW)


def remove_card(session: Session, question_id: int) -> None:
    """Deletes the card: the question is new again."""
    session.execute(delete(CardRow).where(CardRow.question_id == question_id))
    _mark_seen(session, question_id, seen=False)


def _mark_seen(session: Session, question_id: int, *, seen: bool) -> None:
    session.execute(update(QuestionRow).where(QuestionRow.id == question_id).values(seen=seen))


class CardRepository:
    """`core.review.due_queue.CardStore` on the database."""

    def __init__(self, database: Database) -> None:
        self._database = database

    def card(self, question_id: int) -> CardSnapshot | None:
        with self._database.reading() as session:
            row = session.get(CardRow, question_id)
            return None if row is None else card_from_row(row)

    def bury(self, question_id: int, until: datetime, *, at: datetime) -> None:
        """Hides the question until `until` (a question never seen gets a new card to hold it)."""
        with self._database.session() as session:
            row = session.get(CardRow, question_id)
            fresh = CardSnapshot(question_id, CardState.NEW, due=require_aware(at))
            card = card_from_row(row) if row else fresh
            write_card(session, replace(card, buried_until=require_aware(until)))

    def next_learning_due(self, at: datetime, filters: QueueFilter) -> datetime | None:
        where, params = filter_clause(filters, frozenset())
        sql = (
            "SELECT min(c.due) FROM cards c JOIN questions q ON q.id = c.question_id "
            "WHERE c.state IN ('learning', 'relearning') AND c.due > :at "
            f"AND q.status = 'active' AND (c.buried_until IS NULL OR c.buried_until <= :at) {where}"
        )
        with self._database.reading() as session:
            value = session.execute(text(sql), {**params, "at": stored_time(at)}).scalar()
        return None if value is None else _parse(value)

    def due_queue(self, request: QueueRequest) -> list[QueueEntry]:
        with self._database.reading() as session:
            return due_queue_in(session, request)


def due_queue_in(session: Session, request: QueueRequest) -> list[QueueEntry]:
    where, params = filter_clause(request.filters, request.exclude)
    params = {**params, "at": stored_time(request.at), "day_end": stored_time(request.day.end)}
    # A topic holds few questions. Start from them (ix_questions_topic) and sort
    # their few due cards, rather than walk every due card (or every question) looking for the
    # topic's. Without statistics the planner would not choose that itself: CROSS JOIN fixes the
    # join order and `+` keeps it from preferring the status index.
    topic_first = bool(request.filters.topics)
    active = "+q.status = 'active'" if topic_first else "q.status = 'active'"
    visible = f"{active} AND (c.buried_until IS NULL OR c.buried_until <= :at)"
    studied = (
        "questions q CROSS JOIN cards c ON c.question_id = q.id"
        if topic_first
        else "cards c JOIN questions q ON q.id = c.question_id"
    )
    entries: list[QueueEntry] = []

    def fetch(sql: str, limit: int) -> list[Any]:
        if limit <= 0:
            return []
        return list(session.execute(text(sql), {**params, "limit": limit}))

    # One query per state keeps each in index order; `state IN (...)` would sort them all.
    learning = list(
        heapq.merge(
            *(
                fetch(
                    f"SELECT {CARD_COLUMNS} FROM {studied} "
                    f"WHERE c.state = '{state}' AND c.due <= :at AND {visible} {where} "
                    "ORDER BY c.due LIMIT :limit",
                    request.limit,
                )
                for state in (CardState.LEARNING.value, CardState.RELEARNING.value)
            ),
            key=lambda values: str(values[5]),
        )
    )[: request.limit]
    # Most overdue first, straight off the cards(state, due) index: the query stops after one
    # page however large the backlog. Ranking by FSRS retrievability instead would compute and
    # sort every due card (tens of milliseconds after a week away from a large collection).
    reviews = fetch(
        f"SELECT {CARD_COLUMNS} FROM {studied} "
        f"WHERE c.state = 'review' AND c.due < :day_end AND {visible} {where} "
        "ORDER BY c.due LIMIT :limit",
        min(request.limit - len(learning), request.reviews_allowed),
    )
    for values in [*learning, *reviews]:
        card = card_from_columns(values)
        entries.append(QueueEntry(card.question_id, card.state, card.due, card))
    # Without statistics the planner prefers the status index and walks every studied question
    # before the first new one; the partial index of unseen questions holds only new ones.
    unseen = "" if topic_first else "INDEXED BY ix_questions_unseen "
    fresh = fetch(
        f"SELECT q.id, {CARD_COLUMNS} FROM questions q {unseen}"
        "LEFT JOIN cards c ON c.question_id = q.id "
        f"WHERE {active} AND q.seen = 0 AND (c.question_id IS NULL OR (c.state = 'new' AND "
        f"(c.buried_until IS NULL OR c.buried_until <= :at))) {where} "
        f"ORDER BY {_NEW_ORDER[request.new_order]} LIMIT :limit",
        min(request.limit - len(entries), request.new_allowed),
    )
    for values in fresh:
        held = None if values[1] is None else card_from_columns(values[1:])
        entries.append(QueueEntry(int(values[0]), CardState.NEW, request.at, held))
    return entries
