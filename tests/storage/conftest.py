"""Storage test helpers: a bank over the test database, a seeded database file, notes written to
files, a review row."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import func, select

from desktop.core.bank.questions import ImportSummary
from desktop.importers import parse_notes_file
from desktop.storage.database import Database
from desktop.storage.question_bank import QuestionBank
from desktop.storage.schema import ReviewRow

ImportNotes = Callable[..., ImportSummary]


@pytest.fixture
def db_file(tmp_path: Path, seed_notes: Path) -> Path:
    """A database file with the seed notes imported, closed."""
    path = tmp_path / "viva.sqlite3"
    db = Database.open(path, backups_dir=tmp_path / "backups")
    QuestionBank(db).apply_import([parse_notes_file(seed_notes)])
    db.close()
    return path


@pytest.fixture
def bank(database: Database) -> QuestionBank:
    return QuestionBank(database)


@pytest.fixture
def import_notes(bank: QuestionBank, tmp_path: Path) -> ImportNotes:
    """import_notes(text, name="notes.md", dry_run=False, ...) writes the notes to a file (as
    an edit of that file would) and imports it."""

    def run(
        text: str,
        name: str = "notes.md",
        *,
        dry_run: bool = False,
        include_concepts: bool = False,
        overwrite_edits: bool = False,
    ) -> ImportSummary:
        path = tmp_path / "notes" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        notes = parse_notes_file(path, include_concepts=include_concepts)
        return bank.apply_import([notes], dry_run=dry_run, overwrite_edits=overwrite_edits)

    return run


def _add_review(database: Database, question_id: int, answer: str = "my answer") -> int:
    with database.session() as session:
        review = ReviewRow(
            question_id=question_id,
            reviewed_at=datetime(2025, 3, 1, 12, 0, tzinfo=UTC),
            answer_text=answer,
            duration_ms=30_000,
            grade_status="graded",
            score=0.75,
            key_point_verdicts=[{"text": "a point", "verdict": "covered", "evidence": ""}],
            flags=[],
            grader_settings={},
            suggested_rating=3,
            rating=3,
        )
        session.add(review)
        session.flush()
        return review.id


def _reviews_of(database: Database, question_id: int) -> int:
    with database.session() as session:
        count = session.scalar(
            select(func.count(ReviewRow.id)).where(ReviewRow.question_id == question_id)
        )
        return int(count or 0)


@pytest.fixture
def add_review(database: Database) -> Callable[[int], int]:
    """add_review(question_id) records one review straight through the ORM (as the scheduler
    will) and returns its id."""
    return lambda question_id: _add_review(database, question_id)


@pytest.fixture
def count_reviews(database: Database) -> Callable[[int], int]:
    return lambda question_id: _reviews_of(database, question_id)
