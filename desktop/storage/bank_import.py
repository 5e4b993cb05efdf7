"""Applying parsed notes to the bank: plan every change first, then write it (or, for a dry run,
only report it). The caller runs both in one transaction.

Identity: a question is matched by (deck, identity), e.g. ("frameworks-and-tools", "qa:Q7"), so an
edited answer updates the same row, keeping its id, card and reviews. A deck is matched by its
file's path; a file that moved (its old path is gone, or the content is the same) keeps its deck.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Row, delete, exists, insert, select, update
from sqlalchemy.orm import Session

from desktop.core.bank.questions import (
    ImportSummary,
    ParsedNotes,
    ParsedQuestion,
    QuestionKind,
    QuestionStatus,
)
from desktop.storage.schema import DeckRow, QuestionRow, TopicRow

_CONTENT_FIELDS = ("prompt", "reference", "key_points", "wrong_answer")
_FIELD_NAMES = {"key_points": "key points", "wrong_answer": "wrong answer"}


def content_hash(
    kind: str, prompt: str, reference: str, key_points: Sequence[str], wrong_answer: str | None
) -> str:
    """The hash of what a question says (not where it sits in the file)."""
    payload = json.dumps(
        [kind, prompt, reference, list(key_points), wrong_answer or ""],
        ensure_ascii=False,
        separators=(",", ":"),
    )
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def _parsed_hash(question: ParsedQuestion) -> str:
    return content_hash(
        question.kind.value,
        question.prompt,
        question.reference,
        question.key_points,
        question.wrong_answer,
    )


@dataclass
class _Tally:
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    retired: int = 0
    reactivated: int = 0
    kept_edits: int = 0
    by_kind: Counter[str] = field(default_factory=Counter)
    changes: list[str] = field(default_factory=list)


@dataclass
class _DeckPlan:
    notes: ParsedNotes
    deck: DeckRow | None
    name: str
    inserts: list[dict[str, Any]] = field(default_factory=list)
    updates: list[dict[str, Any]] = field(default_factory=list)

    @property
    def writes(self) -> bool:
        return (
            self.deck is None
            or bool(self.inserts or self.updates)
            or self.deck.content_hash != self.notes.content_hash
            or self.deck.source_path != self.notes.path
            or self.deck.title != self.notes.title
        )


def _find_deck(session: Session, notes: ParsedNotes) -> tuple[DeckRow | None, str]:
    by_path = session.scalars(select(DeckRow).where(DeckRow.source_path == notes.path)).first()
    if by_path is not None:
        return by_path, by_path.name
    decks = {deck.name: deck for deck in session.scalars(select(DeckRow))}
    stem = Path(notes.path).stem or "notes"
    same_name = decks.get(stem)
    if same_name is not None and (
        same_name.content_hash == notes.content_hash or not Path(same_name.source_path).is_file()
    ):
        return same_name, stem  # the same notes, moved or copied
    name, number = stem, 2
    while name in decks:
        name, number = f"{stem} ({number})", number + 1
    return None, name


def _existing(session: Session, deck_id: int) -> dict[str, Row[Any]]:
    rows = session.execute(
        select(
            QuestionRow.id,
            QuestionRow.identity,
            QuestionRow.kind,
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
            TopicRow.path.label("topic_path"),
        )
        .outerjoin(TopicRow, QuestionRow.topic_id == TopicRow.id)
        .where(QuestionRow.deck_id == deck_id)
    ).all()
    return {row.identity: row for row in rows}


def _where(question: ParsedQuestion) -> str:
    return f"{question.identity} (line {question.line})"


class _Planner:
    def __init__(self, tally: _Tally, now: datetime, overwrite_edits: bool) -> None:
        self.tally = tally
        self.now = now
        self.overwrite_edits = overwrite_edits

    def plan(self, session: Session, notes: ParsedNotes) -> _DeckPlan:
        deck, name = _find_deck(session, notes)
        plan = _DeckPlan(notes, deck, name)
        existing = _existing(session, deck.id) if deck is not None else {}
        tally = self.tally
        for position, question in enumerate(notes.questions):
            tally.by_kind[question.kind.value] += 1
            row = existing.pop(question.identity, None)
            if row is None:
                plan.inserts.append(self._insert(notes, question, position))
                tally.added += 1
                if deck is not None:
                    tally.changes.append(f"{name}: added {_where(question)}")
            else:
                self._compare(plan, row, question, position)
        for row in existing.values():
            if row.status == QuestionStatus.RETIRED.value:
                continue
            if row.kind == QuestionKind.CONCEPT.value and not notes.concepts_included:
                continue  # concept cards were not asked for this time: leave them be
            plan.updates.append(
                _row_values(row, status=QuestionStatus.RETIRED.value, updated_at=self.now)
            )
            tally.retired += 1
            tally.changes.append(
                f"{name}: retired {row.identity} (no longer in the notes; its history is kept)"
            )
        if deck is None:
            tally.changes.append(f"new deck {name}: {len(notes.questions)} questions")
        return plan

    def _insert(
        self, notes: ParsedNotes, question: ParsedQuestion, position: int
    ) -> dict[str, Any]:
        return {
            "topic_path": question.topic_path,
            "identity": question.identity,
            "kind": question.kind.value,
            "prompt": question.prompt,
            "reference": question.reference,
            "key_points": list(question.key_points),
            "wrong_answer": question.wrong_answer,
            "tags": list(question.tags),
            "source_file": notes.path,
            "source_line": question.line,
            "source_hash": _parsed_hash(question),
            "edited": False,
            "status": QuestionStatus.ACTIVE.value,
            "position": position,
            "created_at": self.now,
            "updated_at": self.now,
        }

    def _compare(
        self, plan: _DeckPlan, row: Row[Any], question: ParsedQuestion, position: int
    ) -> None:
        tally, name = self.tally, plan.name
        new_hash = _parsed_hash(question)
        if (
            row.source_hash == new_hash
            and not row.edited
            and row.status != QuestionStatus.RETIRED.value
            and row.source_line == question.line
            and row.position == position
            and row.source_file == plan.notes.path
            and (row.topic_path or "") == question.topic_path
        ):
            tally.unchanged += 1  # the common case of a re-import: nothing to look at
            return
        parsed: dict[str, Any] = {
            "prompt": question.prompt,
            "reference": question.reference,
            "key_points": list(question.key_points),
            "wrong_answer": question.wrong_answer,
        }
        differing = [key for key in _CONTENT_FIELDS if parsed[key] != getattr(row, key)]
        described = ", ".join(_FIELD_NAMES.get(key, key) for key in differing)
        # Provenance always follows the notes, silently.
        changes: dict[str, Any] = {
            "source_file": plan.notes.path,
            "source_line": question.line,
            "position": position,
            "topic_path": question.topic_path,
        }
        moved = question.topic_path != (row.topic_path or "")
        content_changed = False
        if row.edited:
            if not differing:
                changes.update(source_hash=new_hash, edited=False)  # the notes caught up
            elif self.overwrite_edits:
                changes.update(parsed, source_hash=new_hash, edited=False)
                content_changed = True
                tally.changes.append(
                    f"{name}: {_where(question)} took the notes' version over your edit "
                    f"({described})"
                )
            elif row.source_hash != new_hash:
                changes["source_hash"] = new_hash  # reported once, not on every import
                tally.kept_edits += 1
                tally.changes.append(
                    f"{name}: {_where(question)} changed in the notes, but you had edited it "
                    f"in the app: kept your edit ({described} differ). Import with "
                    "--overwrite-edits to take the notes' version."
                )
        elif differing or row.source_hash != new_hash:
            changes.update(parsed, source_hash=new_hash)
            content_changed = bool(differing)
        reactivate = row.status == QuestionStatus.RETIRED.value
        if reactivate:
            changes["status"] = QuestionStatus.ACTIVE.value
        visible = content_changed or moved or reactivate
        values = _row_values(row, **changes)
        values["updated_at"] = self.now if visible else row.updated_at
        if visible or any(
            values[key] != getattr(row, key)
            for key in changes
            if key in values and key != "topic_path"
        ):
            plan.updates.append(values)
        if reactivate:
            tally.reactivated += 1
            tally.changes.append(f"{name}: reactivated {_where(question)} (back in the notes)")
        elif content_changed or moved:
            tally.updated += 1
            what = ", ".join([described] * bool(described) + ["topic"] * moved)
            tally.changes.append(f"{name}: updated {_where(question)}: {what}")
        else:
            tally.unchanged += 1


def _row_values(row: Row[Any], **changes: Any) -> dict[str, Any]:
    """The full set of values an update writes (every update has the same keys)."""
    values = {
        "id": row.id,
        "topic_path": row.topic_path or "",
        "prompt": row.prompt,
        "reference": row.reference,
        "key_points": list(row.key_points),
        "wrong_answer": row.wrong_answer,
        "source_file": row.source_file,
        "source_line": row.source_line,
        "source_hash": row.source_hash,
        "edited": row.edited,
        "status": row.status,
        "position": row.position,
        "updated_at": row.updated_at,
    }
    values.update(changes)
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


def _write(session: Session, plan: _DeckPlan, now: datetime) -> None:
    notes = plan.notes
    deck = plan.deck
    if deck is None:
        deck = DeckRow(
            name=plan.name,
            source_path=notes.path,
            title=notes.title,
            content_hash=notes.content_hash,
            imported_at=now,
        )
        session.add(deck)
        session.flush()
    else:
        deck.source_path = notes.path
        deck.title = notes.title
        deck.content_hash = notes.content_hash
        deck.imported_at = now
    rows = plan.inserts + plan.updates
    topics = _topic_ids(session, deck.id, {row["topic_path"] for row in rows})
    for row in rows:
        row["topic_id"] = topics[row.pop("topic_path")]
        row["deck_id"] = deck.id
    if plan.inserts:
        session.execute(insert(QuestionRow), plan.inserts)
    if plan.updates:
        session.execute(update(QuestionRow), plan.updates)
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
) -> ImportSummary:
    """Plans (and unless `dry_run`, writes) the import of `notes` inside `session`."""
    now = datetime.now(UTC)
    tally = _Tally()
    planner = _Planner(tally, now, overwrite_edits)
    unique = list({item.path: item for item in notes}.values())
    for item in unique:
        plan = planner.plan(session, item)
        if not dry_run and plan.writes:
            _write(session, plan, now)
            session.flush()
    by_kind = {kind.value: tally.by_kind.get(kind.value, 0) for kind in QuestionKind}
    return ImportSummary(
        added=tally.added,
        updated=tally.updated,
        unchanged=tally.unchanged,
        retired=tally.retired,
        reactivated=tally.reactivated,
        kept_edits=tally.kept_edits,
        by_kind=by_kind,
        dry_run=dry_run,
        files=tuple(item.path for item in unique),
        changes=tuple(tally.changes),
    )
