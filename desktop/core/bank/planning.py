"""Planning an import of parsed notes: every change to every deck is planned first, then
written (or, for a dry run, only reported).

Identity: a notes question is matched to a stored question of its deck by its content
(`core.bank.matching`: the same text, the same prompt, a similar prompt and answer, or the same
number while the text still matches), so an edited answer updates the same question and a
renumbered question keeps it, both keeping the id, card and reviews; the stored `identity`
follows the question's number ("qa:Q7"). An Anki note is matched by its identity (its guid)
alone. A stored question left without a match is retired; when its number went to a new
question, its identity is parked (`core.bank.stored.PARKED_PREFIX`) so the new question can
take the number. An import that retires many questions of a deck is refused unless
`allow_retire` (`core.bank.retiring`).

The notes' deck is found as `core.bank.deck_choice` says. New questions that another deck
already holds are reported as warnings before anything is written, with what the reader
noticed in the notes (`ParsedNotes.warnings`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from datetime import datetime

from desktop.core.bank import change_lines
from desktop.core.bank.deck_choice import DeckChoice, choose_deck
from desktop.core.bank.matching import match_questions
from desktop.core.bank.plans import DeckPlan, NewQuestion, Tally
from desktop.core.bank.questions import (
    DeckTarget,
    ImportSummary,
    ParsedNotes,
    QuestionKind,
    QuestionStatus,
)
from desktop.core.bank.retiring import LargeRetirement, RetirementNotConfirmed, needs_confirmation
from desktop.core.bank.stored import BankReader, QuestionState, parked_identity, parsed_hash
from desktop.core.bank.updating import settle_match


def matched_questions(
    notes: ParsedNotes, stored: Sequence[QuestionState]
) -> list[QuestionState | None]:
    """The stored question each of the notes' questions is (None: a new question)."""
    if not notes.identity_by_content:
        by_identity = {question.identity: question for question in stored}
        return [by_identity.get(question.identity) for question in notes.questions]
    by_id = {question.id: question for question in stored}
    hashes = [parsed_hash(question) for question in notes.questions]
    found = match_questions(
        notes.questions, hashes, [question.for_matching() for question in stored]
    )
    return [by_id[match.stored.key] if match is not None else None for match in found]


def _target(notes: ParsedNotes, choice: DeckChoice) -> DeckTarget:
    deck = choice.deck
    return DeckTarget(
        path=notes.path,
        name=choice.name,
        is_new=deck is None,
        previous_name=deck.name if deck is not None and deck.name != choice.name else None,
    )


def retire_left(
    tally: Tally,
    plan: DeckPlan,
    left: Sequence[QuestionState],
    stored: Sequence[QuestionState],
    now: datetime,
) -> None:
    """Retires the stored questions no longer in the notes, parking the identity of any
    whose number a question of the notes now has. Concept cards are left be when the notes
    were read without them."""
    claimed = {question.identity for question in plan.notes.questions}
    retiring = 0
    for question in left:
        parked = question.identity in claimed
        if parked:
            plan.moves.append(question.id)
        after = _parked(question) if parked else question
        if question.retired:
            if parked:
                plan.updates.append(after)
            continue
        if question.kind == QuestionKind.CONCEPT.value and not plan.notes.concepts_included:
            continue
        plan.updates.append(replace(after, status=QuestionStatus.RETIRED.value, updated_at=now))
        retiring += 1
        tally.changes.append(
            f"{plan.name}: retired {question.identity} "
            "(no longer in the notes; its history is kept)"
        )
    tally.retired += retiring
    live = sum(1 for question in stored if not question.retired)
    if needs_confirmation(retiring, live):
        tally.large_retirements.append(LargeRetirement(plan.name, retiring, live))


def _parked(question: QuestionState) -> QuestionState:
    return replace(question, identity=parked_identity(question.id, question.identity))


def warn_duplicates(tally: Tally, reader: BankReader, plan: DeckPlan) -> None:
    """Warns of new questions that another deck already holds word for word."""
    identities = {new.source_hash: new.question.identity for new in plan.inserts}
    if not identities:
        return
    other_than = plan.deck.id if plan.deck is not None else None
    found = reader.decks_holding(identities.keys(), other_than)
    for deck, hashes in sorted(found.items()):
        held = [identities[hash_] for hash_ in hashes]
        tally.warnings.append(change_lines.held_elsewhere(plan.name, deck, held))


class ImportPlanner:
    """Plans the import of one notes file after another, counting into `tally`."""

    def __init__(
        self,
        reader: BankReader,
        now: datetime,
        *,
        overwrite_edits: bool = False,
        deck_names: Mapping[str, str] | None = None,
    ) -> None:
        self.reader = reader
        self.now = now
        self.overwrite_edits = overwrite_edits
        self.deck_names = deck_names or {}
        self.tally = Tally()

    def plan(self, notes: ParsedNotes) -> DeckPlan:
        """The changes the import of `notes` makes to its deck."""
        wanted = (self.deck_names.get(notes.path) or "").strip() or None
        choice = choose_deck(self.reader, notes, wanted)
        plan = DeckPlan(notes, choice.deck, choice.name)
        self.tally.decks.append(_target(notes, choice))
        stored = self.reader.questions(choice.deck.id) if choice.deck is not None else []
        self.tally.warnings.extend(notes.warnings)
        left = self._settle(plan, stored)
        retire_left(self.tally, plan, left, stored, self.now)
        self._report_deck(plan)
        warn_duplicates(self.tally, self.reader, plan)
        return plan

    def _settle(self, plan: DeckPlan, stored: Sequence[QuestionState]) -> list[QuestionState]:
        """Plans every question of the notes; returns the stored questions none of them is."""
        matches = matched_questions(plan.notes, stored)
        matched = {question.id for question in matches if question is not None}
        left = [question for question in stored if question.id not in matched]
        left_by_identity = {question.identity: question for question in left}
        for position, question in enumerate(plan.notes.questions):
            self.tally.by_kind[question.kind.value] += 1
            match = matches[position]
            if match is not None:
                settle_match(
                    self.tally,
                    plan,
                    match,
                    question,
                    position,
                    now=self.now,
                    overwrite_edits=self.overwrite_edits,
                )
                continue
            plan.inserts.append(
                NewQuestion.from_notes(plan.notes.path, question, position, self.now)
            )
            self.tally.added += 1
            if plan.deck is not None:
                replaced = left_by_identity.get(question.identity)
                self.tally.changes.append(change_lines.added(plan.name, question, replaced))
        return left

    def _report_deck(self, plan: DeckPlan) -> None:
        if plan.deck is None:
            self.tally.changes.append(
                f"new deck {plan.name}: {len(plan.notes.questions)} questions"
            )
        elif plan.deck.name != plan.name:
            self.tally.changes.append(f"deck {plan.deck.name} renamed {plan.name}")


def import_notes(
    reader: BankReader,
    notes: Sequence[ParsedNotes],
    write: Callable[[DeckPlan], None],
    now: datetime,
    *,
    dry_run: bool = False,
    overwrite_edits: bool = False,
    deck_names: Mapping[str, str] | None = None,
    allow_retire: bool = False,
) -> ImportSummary:
    """Plans the import of `notes` (a file given twice counts once) and, unless `dry_run`,
    hands every deck's plan that changes anything to `write`, each after the one before is
    written. Once an import would retire many questions (`core.bank.retiring`) and
    `allow_retire` is False, nothing more is written, and after planning every file (so it
    names every deck) it raises `RetirementNotConfirmed`: the caller rolls back what was."""
    planner = ImportPlanner(reader, now, overwrite_edits=overwrite_edits, deck_names=deck_names)
    tally = planner.tally
    unique = list({item.path: item for item in notes}.values())
    refused = False
    for item in unique:
        plan = planner.plan(item)
        refused = refused or bool(tally.large_retirements and not allow_retire)
        if not dry_run and not refused and plan.writes:
            write(plan)
    if refused and not dry_run:
        raise RetirementNotConfirmed(tally.large_retirements)
    return tally.summary(dry_run=dry_run, files=[item.path for item in unique])
