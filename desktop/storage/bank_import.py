"""Applying parsed notes to the bank: plan every change first, then write it (or, for a dry run,
only report it). The caller runs both in one transaction.

Identity: a notes question is matched to a stored question of its deck by its content
(`core.bank.matching`: the same text, the same prompt, a similar prompt and answer, or the same
number while the text still matches), so an edited answer updates the same row and a renumbered
question keeps its row, both keeping the id, card and reviews; the row's `identity` follows the
question's number ("qa:Q7"). An Anki note is matched by its identity (its guid) alone. A stored
question left without a match is retired; when its number went to a new question, its identity
is parked as "retired:<id>:<old identity>" so the new question can take the number. An import
that retires many questions of a deck is refused unless `allow_retire` (`core.bank.retiring`).

Notes find their deck by the file's path; else by the deck the learner named; else by content,
so the same notes under another name or folder (copied, moved, renamed, edited since) update
their deck in place: a deck that shares at least half of its questions and half of the notes'
questions with them. Only then is a new deck made, named from the notes' title
(`core.bank.decks`). New questions that another deck already holds are reported as warnings
before anything is written, with what the reader noticed in the notes (`ParsedNotes.warnings`).
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Row, delete, exists, insert, select, update
from sqlalchemy.orm import Session

from desktop.core.bank.decks import deck_name_for, title_subject
from desktop.core.bank.matching import StoredQuestion, match_questions, question_similarity
from desktop.core.bank.notes_markdown.inline import clip
from desktop.core.bank.questions import (
    DeckTarget,
    ImportSummary,
    ParsedNotes,
    ParsedQuestion,
    QuestionKind,
    QuestionStatus,
)
from desktop.core.bank.retiring import LargeRetirement, RetirementNotConfirmed, needs_confirmation
from desktop.core.errors import VivaError
from desktop.storage.schema import DeckRow, QuestionRow, TopicRow

# A deck holding this share of a notes file's questions, word for word, is that file's deck.
SAME_NOTES_SHARE = 0.5

# A retired question whose number a new question took keeps this identity:
# "retired:<id>:<its identity>" (no notes or Anki identity starts so).
PARKED_PREFIX = "retired:"

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
    renumbered: int = 0
    by_kind: Counter[str] = field(default_factory=Counter)
    changes: list[str] = field(default_factory=list)
    decks: list[DeckTarget] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    large_retirements: list[LargeRetirement] = field(default_factory=list)


@dataclass
class _DeckPlan:
    notes: ParsedNotes
    deck: DeckRow | None
    name: str
    inserts: list[dict[str, Any]] = field(default_factory=list)
    updates: list[dict[str, Any]] = field(default_factory=list)
    moves: list[int] = field(default_factory=list)  # ids of the rows whose identity changes

    @property
    def writes(self) -> bool:
        return (
            self.deck is None
            or bool(self.inserts or self.updates)
            or self.deck.content_hash != self.notes.content_hash
            or self.deck.source_path != self.notes.path
            or self.deck.title != self.notes.title
            or self.deck.name != self.name
        )


def _same_notes(session: Session, notes: ParsedNotes, decks: list[DeckRow]) -> DeckRow | None:
    """The deck these notes were imported into under another path, if any: the same file, or a
    deck that shares at least half of its questions and half of the notes' questions with them
    (word for word, or by place in the notes when both have the same telling title)."""
    same_content = [deck for deck in decks if deck.content_hash == notes.content_hash]
    if same_content:
        return same_content[0]
    if not notes.questions:
        return None
    hashes = {_parsed_hash(question) for question in notes.questions}
    identities = {question.identity for question in notes.questions}
    active = QuestionRow.status != QuestionStatus.RETIRED.value
    best: tuple[float, DeckRow] | None = None
    for deck in decks:
        rows = session.execute(
            select(QuestionRow.identity, QuestionRow.source_hash).where(
                QuestionRow.deck_id == deck.id, active
            )
        ).all()
        if not rows:
            continue
        shared = sum(1 for row in rows if row.source_hash in hashes)
        if deck.title == notes.title and title_subject(notes.title):
            shared = max(shared, sum(1 for row in rows if row.identity in identities))
        share = min(shared / len(rows), shared / len(notes.questions))
        if share >= SAME_NOTES_SHARE and (best is None or share > best[0]):
            best = (share, deck)
    if best is not None:
        return best[1]
    here = Path(notes.path)
    if not here.is_file():
        return None  # not a notes file of its own (a deck inside an Anki package)
    moved = [deck for deck in decks if Path(deck.source_path).name == here.name]
    if len(moved) == 1 and not Path(moved[0].source_path).is_file():
        return moved[0]  # the file moved (and changed a lot)
    return None


def _find_deck(
    session: Session, notes: ParsedNotes, wanted: str | None
) -> tuple[DeckRow | None, str]:
    """The deck the notes go to (None: a new one) and its name after the import."""
    decks = list(session.scalars(select(DeckRow).order_by(DeckRow.id)))
    by_name = {deck.name: deck for deck in decks}
    found = next((deck for deck in decks if deck.source_path == notes.path), None)
    if found is None and wanted is not None:
        found = by_name.get(wanted)
    if found is None:
        found = _same_notes(session, notes, decks)
    if found is not None:
        if wanted is not None and wanted != found.name and wanted in by_name:
            raise VivaError(
                f'A deck named "{wanted}" already exists; {Path(notes.path).name} belongs to '
                f'"{found.name}". Choose another name.'
            )
        return found, wanted or found.name
    base = wanted or notes.deck_name or deck_name_for(notes.title, Path(notes.path).stem)
    name, number = base, 2
    while name in by_name:
        name, number = f"{base} ({number})", number + 1
    return None, name


def _existing(session: Session, deck_id: int) -> list[Row[Any]]:
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
        .order_by(QuestionRow.position, QuestionRow.id)
    ).all()
    return list(rows)


def _matches(notes: ParsedNotes, existing: Sequence[Row[Any]]) -> list[Row[Any] | None]:
    """The stored row each of the notes' questions is (None: a new question)."""
    if not notes.identity_by_content:
        by_identity = {row.identity: row for row in existing}
        return [by_identity.get(question.identity) for question in notes.questions]
    stored = [
        StoredQuestion(
            key=row.id,
            identity=row.identity,
            kind=row.kind,
            prompt=row.prompt,
            reference=row.reference,
            source_hash=row.source_hash,
            live=row.status != QuestionStatus.RETIRED.value,
        )
        for row in existing
    ]
    rows = {row.id: row for row in existing}
    hashes = [_parsed_hash(question) for question in notes.questions]
    found = match_questions(notes.questions, hashes, stored)
    return [rows[match.stored.key] if match is not None else None for match in found]


def _where(question: ParsedQuestion) -> str:
    return f"{question.identity} (line {question.line})"


def _shown_identity(identity: str) -> str:
    """The identity as the notes had it (a parked identity without its prefix)."""
    if identity.startswith(PARKED_PREFIX):
        return identity.split(":", 2)[-1]
    return identity


def _quoted(text: str) -> str:
    return '"' + clip(" ".join(text.split()), 80) + '"'


class _Planner:
    def __init__(
        self, tally: _Tally, now: datetime, overwrite_edits: bool, deck_names: Mapping[str, str]
    ) -> None:
        self.tally = tally
        self.now = now
        self.overwrite_edits = overwrite_edits
        self.deck_names = deck_names

    def plan(self, session: Session, notes: ParsedNotes) -> _DeckPlan:
        wanted = (self.deck_names.get(notes.path) or "").strip() or None
        deck, name = _find_deck(session, notes, wanted)
        plan = _DeckPlan(notes, deck, name)
        self.tally.decks.append(
            DeckTarget(
                path=notes.path,
                name=name,
                is_new=deck is None,
                previous_name=deck.name if deck is not None and deck.name != name else None,
            )
        )
        existing = _existing(session, deck.id) if deck is not None else []
        matches = _matches(notes, existing)
        matched = {row.id for row in matches if row is not None}
        left = [row for row in existing if row.id not in matched]
        left_by_identity = {row.identity: row for row in left}
        tally = self.tally
        tally.warnings.extend(notes.warnings)
        for position, question in enumerate(notes.questions):
            tally.by_kind[question.kind.value] += 1
            row = matches[position]
            if row is None:
                plan.inserts.append(self._insert(notes, question, position))
                tally.added += 1
                if deck is not None:
                    tally.changes.append(
                        f"{name}: {self._added(question, left_by_identity.get(question.identity))}"
                    )
            else:
                self._compare(plan, row, question, position)
        self._retire(plan, left, existing)
        if deck is None:
            tally.changes.append(f"new deck {name}: {len(notes.questions)} questions")
        elif deck.name != name:
            tally.changes.append(f"deck {deck.name} renamed {name}")
        self._warn_duplicates(session, plan)
        return plan

    @staticmethod
    def _added(question: ParsedQuestion, replaced: Row[Any] | None) -> str:
        """The change line of a new question; it says so when it took the number of a question
        whose text it barely matches (that one is retired)."""
        if replaced is None or replaced.status == QuestionStatus.RETIRED.value:
            return f"added {_where(question)}"
        alike = question_similarity(
            question.prompt, question.reference, replaced.prompt, replaced.reference
        )
        return (
            f"{_where(question)} looks new: its text barely matches the old "
            f"{replaced.identity} {_quoted(replaced.prompt)} ({alike:.0%} alike), which is "
            "retired with its history; added as a new question"
        )

    def _retire(
        self, plan: _DeckPlan, left: Sequence[Row[Any]], existing: Sequence[Row[Any]]
    ) -> None:
        """Retires the stored questions no longer in the notes, parking the identity of any
        whose number a question of the notes now has."""
        tally, notes, name = self.tally, plan.notes, plan.name
        claimed = {question.identity for question in notes.questions}
        retiring = 0
        for row in left:
            parked: dict[str, Any] = {}
            if row.identity in claimed:
                parked["identity"] = f"{PARKED_PREFIX}{row.id}:{row.identity}"
                plan.moves.append(row.id)
            if row.status == QuestionStatus.RETIRED.value:
                if parked:
                    plan.updates.append(_row_values(row, **parked))
                continue
            if row.kind == QuestionKind.CONCEPT.value and not notes.concepts_included:
                continue  # concept cards were not asked for this time: leave them be
            plan.updates.append(
                _row_values(row, status=QuestionStatus.RETIRED.value, updated_at=self.now, **parked)
            )
            retiring += 1
            tally.changes.append(
                f"{name}: retired {row.identity} (no longer in the notes; its history is kept)"
            )
        tally.retired += retiring
        live = sum(1 for row in existing if row.status != QuestionStatus.RETIRED.value)
        if needs_confirmation(retiring, live):
            tally.large_retirements.append(LargeRetirement(name, retiring, live))

    def _warn_duplicates(self, session: Session, plan: _DeckPlan) -> None:
        """New questions that another deck already holds word for word."""
        hashes = {row["source_hash"]: row["identity"] for row in plan.inserts}
        if not hashes:
            return
        query = (
            select(DeckRow.name, QuestionRow.source_hash)
            .join(DeckRow, QuestionRow.deck_id == DeckRow.id)
            .where(
                QuestionRow.source_hash.in_(hashes),
                QuestionRow.status != QuestionStatus.RETIRED.value,
            )
        )
        if plan.deck is not None:
            query = query.where(QuestionRow.deck_id != plan.deck.id)
        found: dict[str, set[str]] = {}
        for deck_name, source_hash in session.execute(query):
            found.setdefault(deck_name, set()).add(source_hash)
        for deck_name, seen in sorted(found.items()):
            examples = ", ".join(sorted(hashes[h] for h in seen)[:3])
            self.tally.warnings.append(
                f"{len(seen)} of the new questions in {plan.name} are already in the deck "
                f'"{deck_name}" ({examples}{", …" if len(seen) > 3 else ""}): importing adds '
                "them a second time."
            )

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
        identity_changes = row.identity != question.identity
        renumbered = _shown_identity(row.identity) != question.identity
        if (
            not identity_changes
            and row.source_hash == new_hash
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
            "identity": question.identity,
            "source_file": plan.notes.path,
            "source_line": question.line,
            "position": position,
            "topic_path": question.topic_path,
        }
        if identity_changes:
            plan.moves.append(row.id)
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
            if "prompt" in differing and not row.edited:
                what += f" (renamed from {_quoted(row.prompt)})"
            tally.changes.append(f"{name}: updated {_where(question)}: {what}")
        else:
            tally.unchanged += 1
        if renumbered:
            tally.renumbered += 1
            tally.changes.append(
                f"{name}: {_where(question)} renumbered from {_shown_identity(row.identity)} "
                "(the same question: its history stays with it)"
            )


def _row_values(row: Row[Any], **changes: Any) -> dict[str, Any]:
    """The full set of values an update writes (every update has the same keys)."""
    values = {
        "id": row.id,
        "identity": row.identity,
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
        deck.name = plan.name
        deck.source_path = notes.path
        deck.title = notes.title
        deck.content_hash = notes.content_hash
        deck.imported_at = now
    if plan.moves:
        # Identities are unique in a deck and move between rows (Q4 becomes Q5 while Q5
        # becomes Q6): free them all before any takes its new one.
        session.execute(
            update(QuestionRow),
            [{"id": row_id, "identity": f"moving:{row_id}"} for row_id in plan.moves],
        )
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
    deck_names: Mapping[str, str] | None = None,
    allow_retire: bool = False,
) -> ImportSummary:
    """Plans (and unless `dry_run`, writes) the import of `notes` inside `session`;
    `deck_names` names (or renames) the deck of a file, by its path.

    Raises `RetirementNotConfirmed` (after planning every file, so it names every deck) when
    the import would retire many questions (`core.bank.retiring`) and `allow_retire` is
    False; the caller's transaction then rolls back whatever was written."""
    now = datetime.now(UTC)
    tally = _Tally()
    planner = _Planner(tally, now, overwrite_edits, deck_names or {})
    unique = list({item.path: item for item in notes}.values())
    refused = False
    for item in unique:
        plan = planner.plan(session, item)
        refused = refused or bool(tally.large_retirements and not allow_retire)
        if not dry_run and not refused and plan.writes:
            _write(session, plan, now)
            session.flush()
    if refused and not dry_run:
        raise RetirementNotConfirmed(tally.large_retirements)
    by_kind = {kind.value: tally.by_kind.get(kind.value, 0) for kind in QuestionKind}
    return ImportSummary(
        added=tally.added,
        updated=tally.updated,
        unchanged=tally.unchanged,
        retired=tally.retired,
        reactivated=tally.reactivated,
        kept_edits=tally.kept_edits,
        renumbered=tally.renumbered,
        by_kind=by_kind,
        dry_run=dry_run,
        files=tuple(item.path for item in unique),
        changes=tuple(tally.changes),
        decks=tuple(tally.decks),
        warnings=tuple(tally.warnings),
        large_retirements=tuple(tally.large_retirements),
    )
