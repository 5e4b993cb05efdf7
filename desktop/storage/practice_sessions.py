"""Practice session rows (review sessions and mock interviews) in the database."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select

from desktop.core.errors import NotFoundError
from desktop.core.review.review_store import StoredReview
from desktop.core.review.session_records import PracticeSessionInfo, SessionKind
from desktop.core.review.study_day import require_aware
from desktop.storage.database import Database
from desktop.storage.reviews import review_from_row
from desktop.storage.schema import PracticeSessionRow, ReviewRow


def _info(row: PracticeSessionRow) -> PracticeSessionInfo:
    return PracticeSessionInfo(
        id=row.id,
        kind=SessionKind(row.kind),
        started_at=row.started_at,
        finished_at=row.finished_at,
        config=dict(row.config),
        counts_toward_schedule=row.counts_toward_schedule,
    )


class PracticeSessionRepository:
    """`core.review.session_records.PracticeSessionStore` on the database."""

    def __init__(self, database: Database) -> None:
        self._database = database

    def start_session(
        self, kind: SessionKind, config: dict[str, Any], *, counts: bool, at: datetime
    ) -> int:
        with self._database.session() as session:
            row = PracticeSessionRow(
                kind=kind.value,
                started_at=require_aware(at),
                finished_at=None,
                config=dict(config),
                counts_toward_schedule=counts,
            )
            session.add(row)
            session.flush()
            return row.id

    def _row(self, session: Any, session_id: int) -> PracticeSessionRow:
        row = session.get(PracticeSessionRow, session_id)
        if row is None:
            raise NotFoundError(f"There is no practice session {session_id}.")
        assert isinstance(row, PracticeSessionRow)
        return row

    def save_config(self, session_id: int, config: dict[str, Any]) -> None:
        with self._database.session() as session:
            self._row(session, session_id).config = dict(config)

    def finish_session(self, session_id: int, at: datetime, *, counts: bool) -> None:
        with self._database.session() as session:
            row = self._row(session, session_id)
            row.finished_at = require_aware(at)
            row.counts_toward_schedule = counts

    def session(self, session_id: int) -> PracticeSessionInfo | None:
        with self._database.reading() as session:
            row = session.get(PracticeSessionRow, session_id)
            return None if row is None else _info(row)

    def unfinished_sessions(self, kind: SessionKind) -> list[PracticeSessionInfo]:
        with self._database.reading() as session:
            rows = session.scalars(
                select(PracticeSessionRow)
                .where(PracticeSessionRow.kind == kind.value)
                .where(PracticeSessionRow.finished_at.is_(None))
                .order_by(PracticeSessionRow.id.desc())
            )
            return [_info(row) for row in rows]

    def reviews_in_session(self, session_id: int) -> list[StoredReview]:
        with self._database.reading() as session:
            rows = session.scalars(
                select(ReviewRow).where(ReviewRow.session_id == session_id).order_by(ReviewRow.id)
            )
            return [review_from_row(row) for row in rows]
