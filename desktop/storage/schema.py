"""Tables of the current schema version, as SQLAlchemy 2.0 typed ORM classes.

The DDL that creates them lives in `migrations/` (frozen per version); a test checks that the
migrated database and these classes agree.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Index, Integer, String, Text, UniqueConstraint, text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from desktop.storage.columns import JSONText, UTCDateTime


class Base(DeclarativeBase):
    type_annotation_map = {  # noqa: RUF012 (read once by SQLAlchemy, never mutated)
        datetime: UTCDateTime,
        dict[str, Any]: JSONText,
        list[Any]: JSONText,
    }


class DeckRow(Base):
    """One imported notes file (a source of questions)."""

    __tablename__ = "decks"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String, unique=True)
    source_path: Mapped[str] = mapped_column(Text)
    title: Mapped[str] = mapped_column(Text)
    content_hash: Mapped[str] = mapped_column(String(64))
    imported_at: Mapped[datetime]


class TopicRow(Base):
    """A heading path inside a deck, e.g. "13.1 PyTorch > Autograd Mechanism"."""

    __tablename__ = "topics"
    __table_args__ = (UniqueConstraint("deck_id", "path"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    deck_id: Mapped[int] = mapped_column(ForeignKey("decks.id", ondelete="CASCADE"))
    path: Mapped[str] = mapped_column(Text)


class QuestionRow(Base):
    """A question with its reference answer, key points and provenance.

    `source_hash` is the hash of the question as last imported; `edited` marks a question the
    learner changed in the app, so a re-import of an unchanged source keeps the edit.
    """

    __tablename__ = "questions"
    __table_args__ = (
        UniqueConstraint("deck_id", "identity"),
        # Bank order within a deck, for the queue of new questions; topic for topic filters.
        Index("ix_questions_status_deck_position", "status", "deck_id", "position"),
        Index("ix_questions_topic", "topic_id"),
        # The queue's new questions, in bank order, without walking every studied question.
        Index(
            "ix_questions_unseen",
            "deck_id",
            "position",
            sqlite_where=text("status = 'active' AND seen = 0"),
        ),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    deck_id: Mapped[int] = mapped_column(ForeignKey("decks.id", ondelete="CASCADE"))
    topic_id: Mapped[int | None] = mapped_column(ForeignKey("topics.id", ondelete="SET NULL"))
    identity: Mapped[str] = mapped_column(Text)
    kind: Mapped[str] = mapped_column(String(16))
    prompt: Mapped[str] = mapped_column(Text)
    reference: Mapped[str] = mapped_column(Text)
    key_points: Mapped[list[Any]]
    wrong_answer: Mapped[str | None] = mapped_column(Text)
    tags: Mapped[list[Any]]
    source_file: Mapped[str] = mapped_column(Text)
    source_line: Mapped[int] = mapped_column(Integer)
    source_hash: Mapped[str] = mapped_column(String(64))
    edited: Mapped[bool] = mapped_column(default=False)
    status: Mapped[str] = mapped_column(String(16), default="active")
    position: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]
    # True while the question has a card past the new state; kept by storage.cards.
    seen: Mapped[bool] = mapped_column(default=False, server_default=text("0"))


class CardRow(Base):
    """FSRS scheduling state of one question (absent until the question is first seen)."""

    __tablename__ = "cards"
    __table_args__ = (Index("ix_cards_state_due", "state", "due"),)
    question_id: Mapped[int] = mapped_column(
        ForeignKey("questions.id", ondelete="CASCADE"), primary_key=True
    )
    state: Mapped[str] = mapped_column(String(16))
    step: Mapped[int | None]
    stability: Mapped[float | None]
    difficulty: Mapped[float | None]
    due: Mapped[datetime]
    last_review: Mapped[datetime | None]
    reps: Mapped[int] = mapped_column(default=0)
    lapses: Mapped[int] = mapped_column(default=0)
    buried_until: Mapped[datetime | None]


class PracticeSessionRow(Base):
    """A review session or a mock interview."""

    __tablename__ = "practice_sessions"
    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))
    started_at: Mapped[datetime]
    finished_at: Mapped[datetime | None]
    config: Mapped[dict[str, Any]]
    counts_toward_schedule: Mapped[bool] = mapped_column(default=True)


class ReviewRow(Base):
    """One answer to one question: what was written, how it was graded, how it was scheduled.

    `card_before` / `card_after` are JSON snapshots so undo restores the card exactly.
    `grade_status` is graded / ungraded / self-rated; `overridden` marks a rating the learner
    changed from the suggested one.
    """

    __tablename__ = "reviews"
    __table_args__ = (
        Index("ix_reviews_question_time", "question_id", "reviewed_at"),
        Index("ix_reviews_time", "reviewed_at"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    question_id: Mapped[int] = mapped_column(ForeignKey("questions.id", ondelete="CASCADE"))
    session_id: Mapped[int | None] = mapped_column(
        ForeignKey("practice_sessions.id", ondelete="SET NULL")
    )
    reviewed_at: Mapped[datetime]
    answer_text: Mapped[str] = mapped_column(Text)
    duration_ms: Mapped[int] = mapped_column(Integer, default=0)
    grade_status: Mapped[str] = mapped_column(String(16))
    score: Mapped[float | None]
    key_point_verdicts: Mapped[list[Any]]
    feedback: Mapped[str] = mapped_column(Text, default="")
    grade_reason: Mapped[str] = mapped_column(Text, default="")
    flags: Mapped[list[Any]]
    model: Mapped[str] = mapped_column(Text, default="")
    grader_settings: Mapped[dict[str, Any]]
    suggested_rating: Mapped[int | None]
    rating: Mapped[int]
    overridden: Mapped[bool] = mapped_column(default=False)
    counted: Mapped[bool] = mapped_column(default=True)
    card_before: Mapped[dict[str, Any] | None]
    card_after: Mapped[dict[str, Any] | None]


class SettingRow(Base):
    """A named settings group stored as JSON (scheduling, model, appearance ...)."""

    __tablename__ = "settings"
    key: Mapped[str] = mapped_column(String, primary_key=True)
    value: Mapped[dict[str, Any]]


class ModelCalibrationRow(Base):
    """Cached reliability measurement of one model file (keyed by its content fingerprint)."""

    __tablename__ = "model_calibrations"
    id: Mapped[int] = mapped_column(primary_key=True)
    model_key: Mapped[str] = mapped_column(String, unique=True)
    model_name: Mapped[str] = mapped_column(Text)
    measured_at: Mapped[datetime]
    cases: Mapped[int]
    agreed: Mapped[int]
    result: Mapped[dict[str, Any]]
