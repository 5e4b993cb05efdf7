"""What a stored question becomes when the notes hold it again.

Where it sits (identity, file, line, place, topic) always follows the notes, silently. Its text
follows the notes too, unless the learner edited it in the app: then the edit is kept (and
reported once, when the notes change), unless the import overwrites edits. A retired question
back in the notes is reactivated. A question is counted once: reactivated, updated (its text
or topic changed) or unchanged; a question found under another number is also counted as
renumbered.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime

from desktop.core.bank.change_lines import described, quoted, where
from desktop.core.bank.plans import DeckPlan, Tally
from desktop.core.bank.questions import ParsedQuestion, QuestionStatus
from desktop.core.bank.stored import QuestionState, parsed_hash, shown_identity

_CONTENT_FIELDS = ("prompt", "reference", "key_points", "wrong_answer")


@dataclass(frozen=True)
class _Pair:
    """A notes question and the stored question it is."""

    stored: QuestionState
    question: ParsedQuestion
    hash_: str  # of the notes' text
    differing: tuple[str, ...]  # the fields of the text that differ


@dataclass(frozen=True)
class _Text:
    """A question's text after the import, and whether it changed from the stored one."""

    state: QuestionState
    changed: bool


def differing_fields(stored: QuestionState, question: ParsedQuestion) -> tuple[str, ...]:
    """The fields of the text (prompt, reference, key points, wrong answer) that differ."""
    parsed = _with_notes_text(stored, question, stored.source_hash)
    return tuple(key for key in _CONTENT_FIELDS if getattr(parsed, key) != getattr(stored, key))


def _with_notes_text(stored: QuestionState, question: ParsedQuestion, hash_: str) -> QuestionState:
    return replace(
        stored,
        prompt=question.prompt,
        reference=question.reference,
        key_points=tuple(question.key_points),
        wrong_answer=question.wrong_answer,
        source_hash=hash_,
    )


def _untouched(
    plan: DeckPlan, stored: QuestionState, question: ParsedQuestion, position: int, hash_: str
) -> bool:
    """The common case of a re-import: the same question in the same place."""
    return (
        stored.identity == question.identity
        and stored.source_hash == hash_
        and not stored.edited
        and not stored.retired
        and stored.source_line == question.line
        and stored.position == position
        and stored.source_file == plan.notes.path
        and stored.topic_path == question.topic_path
    )


def _edited_text(tally: Tally, plan: DeckPlan, pair: _Pair, overwrite_edits: bool) -> _Text:
    """The text of a question the learner edited in the app."""
    stored, question, hash_ = pair.stored, pair.question, pair.hash_
    if not pair.differing:
        return _Text(replace(stored, source_hash=hash_, edited=False), False)  # notes caught up
    fields = described(pair.differing)
    if overwrite_edits:
        tally.changes.append(
            f"{plan.name}: {where(question)} took the notes' version over your edit ({fields})"
        )
        return _Text(replace(_with_notes_text(stored, question, hash_), edited=False), True)
    if stored.source_hash != hash_:
        tally.kept_edits += 1  # reported once, not on every import
        tally.changes.append(
            f"{plan.name}: {where(question)} changed in the notes, but you had edited it "
            f"in the app: kept your edit ({fields} differ). Import with "
            "--overwrite-edits to take the notes' version."
        )
        return _Text(replace(stored, source_hash=hash_), False)
    return _Text(stored, False)


def _text(tally: Tally, plan: DeckPlan, pair: _Pair, overwrite_edits: bool) -> _Text:
    """The question's text after the import."""
    stored = pair.stored
    if stored.edited:
        return _edited_text(tally, plan, pair, overwrite_edits)
    if pair.differing or stored.source_hash != pair.hash_:
        return _Text(_with_notes_text(stored, pair.question, pair.hash_), bool(pair.differing))
    return _Text(stored, False)


def _placed(
    text: QuestionState, plan: DeckPlan, question: ParsedQuestion, position: int
) -> QuestionState:
    """The question where the notes have it now, active again if it was retired."""
    return replace(
        text,
        identity=question.identity,
        source_file=plan.notes.path,
        source_line=question.line,
        position=position,
        topic_path=question.topic_path,
        status=QuestionStatus.ACTIVE.value if text.retired else text.status,
    )


def _what_changed(pair: _Pair, moved: bool) -> str:
    differing = pair.differing
    what = ", ".join([described(differing)] * bool(differing) + ["topic"] * moved)
    if "prompt" in differing and not pair.stored.edited:
        what += f" (renamed from {quoted(pair.stored.prompt)})"
    return what


def _count(tally: Tally, plan: DeckPlan, pair: _Pair, changed: bool, moved: bool) -> None:
    """Counts the question once (reactivated, updated or unchanged), and as renumbered too
    when its number changed, with a change line for each."""
    stored, question = pair.stored, pair.question
    if stored.retired:
        tally.reactivated += 1
        tally.changes.append(f"{plan.name}: reactivated {where(question)} (back in the notes)")
    elif changed or moved:
        tally.updated += 1
        what = _what_changed(pair, moved)
        tally.changes.append(f"{plan.name}: updated {where(question)}: {what}")
    else:
        tally.unchanged += 1
    if shown_identity(stored.identity) != question.identity:
        tally.renumbered += 1
        tally.changes.append(
            f"{plan.name}: {where(question)} renumbered from {shown_identity(stored.identity)} "
            "(the same question: its history stays with it)"
        )


def settle_match(
    tally: Tally,
    plan: DeckPlan,
    stored: QuestionState,
    question: ParsedQuestion,
    position: int,
    *,
    now: datetime,
    overwrite_edits: bool,
) -> None:
    """Plans what the stored question that `question` (at `position` of the notes) is
    becomes, and counts it."""
    hash_ = parsed_hash(question)
    if _untouched(plan, stored, question, position, hash_):
        tally.unchanged += 1
        return
    pair = _Pair(stored, question, hash_, differing_fields(stored, question))
    text = _text(tally, plan, pair, overwrite_edits)
    after = _placed(text.state, plan, question, position)
    if stored.identity != question.identity:
        plan.moves.append(stored.id)
    moved = question.topic_path != stored.topic_path
    visible = text.changed or moved or stored.retired
    if visible:
        after = replace(after, updated_at=now)
    if visible or after != stored:
        plan.updates.append(after)
    _count(tally, plan, pair, text.changed, moved)
