"""Applying parsed notes to the bank: `core.bank.planning` plans every change from the bank as
read here, and this module writes the plans (or, for a dry run, writes nothing). The caller
runs both in one transaction."""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Row, delete, exists, insert, select, update
from sqlalchemy.orm import Session

from desktop.core.bank.planning import import_notes
from desktop.core.bank.plans import DeckPlan, NewQuestion
from desktop.core.bank.questions import ImportSummary, ParsedNotes, QuestionStatus
from desktop.core.bank.stored import LiveQuestion, QuestionState, StoredDeck, content_hash
from desktop.storage.schema import DeckRow, QuestionRow, TopicRow

__all__ = ["apply_import", "content_hash"]

_NOT_RETIRED = QuestionRow.status != QuestionStatus.RETIRED.value

# The columns of a `QuestionState`, each under its field's name.
_STATE_COLUMNS = (
    QuestionRow.id,
    QuestionRow.identity,
    QuestionRow.kind,
    TopicRow.path.label("topic_path"),
    QuestionRow.prompt,
    QuestionRow.reference,
    QuestionRow.key_points,
    QuestionRow.wrong_answer,
    QuestionRow.source_file,
    QuestionRow.source_line,
    QuestionRow.source_hash,
    QuestionRow.edited,
    QuestionRow.status,
    QuestionRow.position,
    QuestionRow.updated_at,
)


def _state(row: Row[Any]) -> QuestionState:
    values = dict(row._mapping)
    values["topic_path"] = values["topic_path"] or ""
    values["key_points"] = tuple(values["key_points"])
    return QuestionState(**values)


class _SessionReader:
    """The bank as an import reads it, from the session's transaction."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def decks(self) -> list[StoredDeck]:
        rows = self.session.scalars(select(DeckRow).order_by(DeckRow.id))
        return [
            StoredDeck(row.id, row.name, row.source_path, row.title, row.content_hash)
            for row in rows
        ]

    def live_questions(self, deck_id: int) -> list[LiveQuestion]:
        rows = self.session.execute(
            select(QuestionRow.identity, QuestionRow.source_hash).where(
                QuestionRow.deck_id == deck_id, _NOT_RETIRED
            )
        )
        return [LiveQuestion(identity, source_hash) for identity, source_hash in rows]

    def questions(self, deck_id: int) -> list[QuestionState]:
        rows = self.session.execute(
            select(*_STATE_COLUMNS)
            .outerjoin(TopicRow, QuestionRow.topic_id == TopicRow.id)
            .where(QuestionRow.deck_id == deck_id)
            .order_by(QuestionRow.position, QuestionRow.id)
        )
        return [_state(row) for row in rows]

    def decks_holding(self, hashes: Collection[str], other_than: int | None) -> dict[str, set[str]]:
        query = (
            select(DeckRow.name, QuestionRow.source_hash)
            .join(DeckRow, QuestionRow.deck_id == DeckRow.id)
            .where(QuestionRow.source_hash.in_(hashes), _NOT_RETIRED)
        )
        if other_than is not None:
            query = query.where(QuestionRow.deck_id != other_than)
        found: dict[str, set[str]] = {}
        for deck_name, source_hash in self.session.execute(query):
            found.setdefault(deck_name, set()).add(source_hash)
        return found

    def is_file(self, path: str) -> bool:
        return Path(path).is_file()


def _insert_values(new: NewQuestion) -> dict[str, Any]:
    question = new.question
    return {
        "topic_path": question.topic_path,
        "identity": question.identity,
        "kind": question.kind.value,
        "prompt": question.prompt,
        "reference": question.reference,
        "key_points": list(question.key_points),
        "wrong_answer": question.wrong_answer,
        "tags": list(question.tags),
        "source_file": new.source_file,
        "source_line": question.line,
        "source_hash": new.source_hash,
        "edited": False,
        "status": QuestionStatus.ACTIVE.value,
        "position": new.position,
        "created_at": new.created_at,
        "updated_at": new.created_at,
    }


def _update_values(question: QuestionState) -> dict[str, Any]:
    """The full set of values an update writes (every update has the same keys)."""
    values = dict(vars(question))
    del values["kind"]
    values["key_points"] = list(question.key_points)
    return values


def _topic_ids(session: Session, deck_id: int, paths: set[str]) -> dict[str, int | None]:
    ids: dict[str, int | None] = {"": None}
    known = session.execute(select(TopicRow.path, TopicRow.id).where(TopicRow.deck_id == deck_id))
    ids.update({path: topic_id for path, topic_id in known})
    for path in sorted(paths - ids.keys()):
        ids[path] = session.execute(
            insert(TopicRow).values(deck_id=deck_id, path=path).returning(TopicRow.id)
        ).scalar_one()
    return ids


def _write_deck(session: Session, plan: DeckPlan, now: datetime) -> DeckRow:
    notes = plan.notes
    values = {
        "name": plan.name,
        "source_path": notes.path,
        "title": notes.title,
        "content_hash": notes.content_hash,
        "imported_at": now,
    }
    if plan.deck is None:
        deck = DeckRow(**values)
        session.add(deck)
        session.flush()
        return deck
    deck = session.get_one(DeckRow, plan.deck.id)
    for key, value in values.items():
        setattr(deck, key, value)
    return deck


def _write(session: Session, plan: DeckPlan, now: datetime) -> None:
    deck = _write_deck(session, plan, now)
    if plan.moves:
        # Identities are unique in a deck and move between rows (Q4 becomes Q5 while Q5
        # becomes Q6): free them all before any takes its new one.
        session.execute(
            update(QuestionRow),
            [{"id": row_id, "identity": f"moving:{row_id}"} for row_id in plan.moves],
        )
    inserts = [_insert_values(question) for question in plan.inserts]
    updates = [_update_values(question) for question in plan.updates]
    rows = inserts + updates
    topics = _topic_ids(session, deck.id, {row["topic_path"] for row in rows})
    for row in rows:
        row["topic_id"] = topics[row.pop("topic_path")]
        row["deck_id"] = deck.id
    if inserts:
        session.execute(insert(QuestionRow), inserts)
    if updates:
        session.execute(update(QuestionRow), updates)
    session.execute(
        delete(TopicRow).where(
            TopicRow.deck_id == deck.id,
            ~exists().where(QuestionRow.topic_id == TopicRow.id),
        )
    )


def apply_import(
    session: Session,
    notes: Sequence[ParsedNotes],
    *,
    dry_run: bool = False,
    overwrite_edits: bool = False,
    deck_names: Mapping[str, str] | None = None,
    allow_retire: bool = False,
) -> ImportSummary:
    """Plans (and unless `dry_run`, writes) the import of `notes` inside `session`;
    `deck_names` names (or renames) the deck of a file, by its path.

    Raises `RetirementNotConfirmed` (after planning every file, so it names every deck) when
    the import would retire many questions (`core.bank.retiring`) and `allow_retire` is
    False; the caller's transaction then rolls back whatever was written."""
    now = datetime.now(UTC)

    def write(plan: DeckPlan) -> None:
        _write(session, plan, now)
        session.flush()

    return import_notes(
        _SessionReader(session),
        notes,
        write,
        now,
        dry_run=dry_run,
        overwrite_edits=overwrite_edits,
        deck_names=deck_names,
        allow_retire=allow_retire,
    )
