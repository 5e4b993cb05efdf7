"""`QuestionBank`: the question bank over a `Database`, returning `core` dataclasses.

It implements `desktop.core.bank.store.QuestionBankStore`. Each method is one session (one
transaction), committed before it returns. Search is SQL LIKE over the prompt and the reference
answer, every word required (case-insensitive for ASCII letters): plenty for a bank of a few
thousand questions without a full-text index to keep in step.
"""

from __future__ import annotations

from collections.abc import Generator, Mapping, Sequence
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Select, func, or_, select, text
from sqlalchemy.orm import Session

from desktop.core.bank.questions import (
    Deck,
    ImportSummary,
    ParsedNotes,
    Question,
    QuestionKind,
    QuestionStatus,
)
from desktop.core.bank.store import QuestionBankStore, QuestionFilter, TopicSummary
from desktop.core.errors import NotFoundError
from desktop.storage.bank_import import apply_import, content_hash
from desktop.storage.database import Database
from desktop.storage.schema import DeckRow, QuestionRow, TopicRow

_TAG_MATCH = text(
    "EXISTS (SELECT 1 FROM json_each(questions.tags) WHERE lower(json_each.value) = lower(:tag))"
)


def _like_escape(value: str) -> str:
    return value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _clean_tags(tags: Sequence[str]) -> list[str]:
    seen: set[str] = set()
    cleaned = []
    for tag in tags:
        tag = " ".join(tag.split())
        if tag and tag.lower() not in seen:
            seen.add(tag.lower())
            cleaned.append(tag)
    return cleaned


def _to_question(row: QuestionRow, deck: str, topic: str | None) -> Question:
    return Question(
        id=row.id,
        deck_id=row.deck_id,
        deck=deck,
        identity=row.identity,
        kind=QuestionKind(row.kind),
        topic=topic or "",
        prompt=row.prompt,
        reference=row.reference,
        key_points=tuple(row.key_points),
        wrong_answer=row.wrong_answer,
        tags=tuple(row.tags),
        source_file=row.source_file,
        source_line=row.source_line,
        status=QuestionStatus(row.status),
        position=row.position,
        edited=row.edited,
        created_at=row.created_at,
        updated_at=row.updated_at,
    )


def _to_deck(row: DeckRow) -> Deck:
    return Deck(
        id=row.id,
        name=row.name,
        source_path=row.source_path,
        title=row.title,
        content_hash=row.content_hash,
        imported_at=row.imported_at,
    )


def _filtered(statement: Select[Any], filters: QuestionFilter) -> Select[Any]:
    if filters.deck is not None:
        statement = statement.where(DeckRow.name == filters.deck)
    if filters.topic is not None:
        statement = statement.where(
            or_(
                TopicRow.path == filters.topic,
                TopicRow.path.like(_like_escape(filters.topic) + " > %", escape="\\"),
            )
        )
    if filters.topic_contains:
        pattern = f"%{_like_escape(filters.topic_contains)}%"
        statement = statement.where(TopicRow.path.like(pattern, escape="\\"))
    if filters.tag:
        statement = statement.where(_TAG_MATCH.bindparams(tag=filters.tag.strip()))
    if filters.kind is not None:
        statement = statement.where(QuestionRow.kind == QuestionKind(filters.kind).value)
    if filters.statuses != frozenset(QuestionStatus):
        statement = statement.where(QuestionRow.status.in_(sorted(filters.statuses)))
    for word in (filters.search or "").split():
        pattern = f"%{_like_escape(word)}%"
        statement = statement.where(
            or_(
                QuestionRow.prompt.like(pattern, escape="\\"),
                QuestionRow.reference.like(pattern, escape="\\"),
            )
        )
    return statement


def _listing(filters: QuestionFilter) -> Select[Any]:
    """The questions matching `filters` with their deck and topic, in bank order."""
    statement = _filtered(
        select(QuestionRow, DeckRow.name, TopicRow.path)
        .join(DeckRow, QuestionRow.deck_id == DeckRow.id)
        .outerjoin(TopicRow, QuestionRow.topic_id == TopicRow.id),
        filters,
    ).order_by(QuestionRow.deck_id, QuestionRow.position, QuestionRow.id)
    if filters.limit is not None:
        statement = statement.limit(filters.limit)
    if filters.offset:
        statement = statement.offset(filters.offset)
    return statement


class QuestionBank:
    """The question bank repository (see `desktop.core.bank.store.QuestionBankStore`)."""

    def __init__(self, database: Database) -> None:
        self._database = database

    def has_decks(self) -> bool:
        with self._database.reading() as session:
            return session.scalar(select(DeckRow.id).limit(1)) is not None

    def get(self, question_id: int) -> Question:
        with self._database.reading() as session:
            return self._get(session, question_id)

    def questions(self, filters: QuestionFilter | None = None) -> list[Question]:
        statement = _listing(filters or QuestionFilter())
        with self._database.reading() as session:
            return [
                _to_question(row, deck, topic) for row, deck, topic in session.execute(statement)
            ]

    def iter_questions(
        self, filters: QuestionFilter | None = None, *, chunk_size: int = 500
    ) -> Generator[Question, None, None]:
        """The questions `questions(filters)` returns, in the same order, read `chunk_size` rows
        at a time from one snapshot: listing a bank of any size takes the memory of one chunk.
        The snapshot is held until the iterator is exhausted or closed."""
        statement = _listing(filters or QuestionFilter()).execution_options(yield_per=chunk_size)
        with self._database.reading() as session:
            for row, deck, topic in session.execute(statement):
                yield _to_question(row, deck, topic)

    def count(self, filters: QuestionFilter | None = None) -> int:
        statement = _filtered(
            select(func.count(QuestionRow.id))
            .join(DeckRow, QuestionRow.deck_id == DeckRow.id)
            .outerjoin(TopicRow, QuestionRow.topic_id == TopicRow.id),
            filters or QuestionFilter(),
        )
        with self._database.reading() as session:
            return int(session.scalar(statement) or 0)

    def search(self, text: str, filters: QuestionFilter | None = None) -> list[Question]:
        return self.questions(replace(filters or QuestionFilter(), search=text))

    def decks(self) -> list[Deck]:
        with self._database.reading() as session:
            return [_to_deck(row) for row in session.scalars(select(DeckRow).order_by(DeckRow.id))]

    def topics(self, deck: str | None = None) -> list[TopicSummary]:
        statement = (
            select(DeckRow.name, TopicRow.path, func.count(QuestionRow.id))
            .join(DeckRow, TopicRow.deck_id == DeckRow.id)
            .join(QuestionRow, QuestionRow.topic_id == TopicRow.id)
            .where(QuestionRow.status != QuestionStatus.RETIRED.value)
            .group_by(TopicRow.id)
            .order_by(DeckRow.id, func.min(QuestionRow.position), TopicRow.path)
        )
        if deck is not None:
            statement = statement.where(DeckRow.name == deck)
        with self._database.reading() as session:
            return [
                TopicSummary(deck=name, path=path, questions=count)
                for name, path, count in session.execute(statement)
            ]

    def update(
        self,
        question_id: int,
        *,
        prompt: str | None = None,
        reference: str | None = None,
        key_points: Sequence[str] | None = None,
        wrong_answer: str | None = None,
        tags: Sequence[str] | None = None,
    ) -> Question:
        with self._database.session() as session:
            row = self._row(session, question_id)
            before = (row.prompt, row.reference, list(row.key_points), row.wrong_answer)
            if prompt is not None:
                if not prompt.strip():
                    raise ValueError("a question needs a prompt")
                row.prompt = prompt
            if reference is not None:
                row.reference = reference
            if key_points is not None:
                row.key_points = [point.strip() for point in key_points if point.strip()]
            if wrong_answer is not None:
                row.wrong_answer = wrong_answer or None
            if tags is not None and _clean_tags(tags) != list(row.tags):
                row.tags = _clean_tags(tags)
                row.updated_at = datetime.now(UTC)
            after = (row.prompt, row.reference, list(row.key_points), row.wrong_answer)
            if after != before:
                row.edited = row.source_hash != content_hash(row.kind, *after)
                row.updated_at = datetime.now(UTC)
            session.flush()
            return self._get(session, question_id)

    def set_status(self, question_id: int, status: QuestionStatus) -> Question:
        status = QuestionStatus(status)
        with self._database.session() as session:
            row = self._row(session, question_id)
            if row.status != status.value:
                row.status = status.value
                row.updated_at = datetime.now(UTC)
                session.flush()
            return self._get(session, question_id)

    def apply_import(
        self,
        notes: Sequence[ParsedNotes],
        *,
        dry_run: bool = False,
        overwrite_edits: bool = False,
        deck_names: Mapping[str, str] | None = None,
        allow_retire: bool = False,
    ) -> ImportSummary:
        with self._database.session() as session:
            # A dry run only reads: the planner writes nothing unless asked to.
            return apply_import(
                session,
                notes,
                dry_run=dry_run,
                overwrite_edits=overwrite_edits,
                deck_names=deck_names,
                allow_retire=allow_retire,
            )

    @staticmethod
    def _row(session: Session, question_id: int) -> QuestionRow:
        row = session.get(QuestionRow, question_id)
        if row is None:
            raise NotFoundError(f"There is no question with id {question_id}.")
        return row

    def _get(self, session: Session, question_id: int) -> Question:
        found = session.execute(
            select(QuestionRow, DeckRow.name, TopicRow.path)
            .join(DeckRow, QuestionRow.deck_id == DeckRow.id)
            .outerjoin(TopicRow, QuestionRow.topic_id == TopicRow.id)
            .where(QuestionRow.id == question_id)
        ).first()
        if found is None:
            raise NotFoundError(f"There is no question with id {question_id}.")
        row, deck, topic = found
        return _to_question(row, deck, topic)


def _satisfies_the_protocol(bank: QuestionBank) -> QuestionBankStore:
    return bank  # mypy checks here that QuestionBank implements QuestionBankStore
