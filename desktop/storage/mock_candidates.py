"""The questions a mock interview may ask: active ones under a filter, with card and last score."""

from __future__ import annotations

from sqlalchemy import text

from desktop.core.mock.selection import MockCandidate
from desktop.core.review.due_queue import QueueFilter
from desktop.storage.cards import card_from_columns
from desktop.storage.database import Database
from desktop.storage.queue_sql import CARD_COLUMNS, filter_clause


class MockCandidateRepository:
    """`core.mock.selection.MockCandidateSource` on the database."""

    def __init__(self, database: Database) -> None:
        self._database = database

    def mock_candidates(self, filters: QueueFilter) -> list[MockCandidate]:
        where, params = filter_clause(filters, frozenset())
        # The latest graded score comes off the reviews(question_id, reviewed_at) index.
        sql = text(
            f"SELECT q.id, {CARD_COLUMNS}, (SELECT r.score FROM reviews r "
            "WHERE r.question_id = q.id AND r.score IS NOT NULL "
            "ORDER BY r.reviewed_at DESC LIMIT 1) "
            "FROM questions q LEFT JOIN cards c ON c.question_id = q.id "
            f"WHERE q.status = 'active' {where} ORDER BY q.id"
        )
        with self._database.reading() as session:
            rows = list(session.execute(sql, params))
        return [
            MockCandidate(
                question_id=int(row[0]),
                card=None if row[1] is None else card_from_columns(row[1:11]),
                last_score=None if row[11] is None else float(row[11]),
            )
            for row in rows
        ]
