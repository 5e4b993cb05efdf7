"""What an import plans for a deck before anything is written, and the tally that becomes its
`ImportSummary`."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from desktop.core.bank.questions import (
    DeckTarget,
    ImportSummary,
    ParsedNotes,
    ParsedQuestion,
    QuestionKind,
)
from desktop.core.bank.retiring import LargeRetirement
from desktop.core.bank.stored import QuestionState, StoredDeck, parsed_hash


@dataclass(frozen=True)
class NewQuestion:
    """A question the import adds to its deck, at `position` of the notes file at
    `source_file`: active, not edited, created (and updated) at `created_at`."""

    question: ParsedQuestion
    source_file: str
    position: int
    source_hash: str
    created_at: datetime

    @classmethod
    def from_notes(
        cls, path: str, question: ParsedQuestion, position: int, now: datetime
    ) -> NewQuestion:
        return cls(question, path, position, parsed_hash(question), now)


@dataclass
class DeckPlan:
    """The changes to one deck: the notes, the deck they go to (None: a new one) and its name
    after the import, the questions to add, the new state of the questions that change, and
    the ids of the questions whose identity changes (identities move between questions, so
    they are all freed before any is taken)."""

    notes: ParsedNotes
    deck: StoredDeck | None
    name: str
    inserts: list[NewQuestion] = field(default_factory=list)
    updates: list[QuestionState] = field(default_factory=list)
    moves: list[int] = field(default_factory=list)

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


@dataclass
class Tally:
    """What the import does, counted over every file as it is planned."""

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

    def summary(self, *, dry_run: bool, files: Sequence[str]) -> ImportSummary:
        by_kind = {kind.value: self.by_kind.get(kind.value, 0) for kind in QuestionKind}
        return ImportSummary(
            added=self.added,
            updated=self.updated,
            unchanged=self.unchanged,
            retired=self.retired,
            reactivated=self.reactivated,
            kept_edits=self.kept_edits,
            renumbered=self.renumbered,
            by_kind=by_kind,
            dry_run=dry_run,
            files=tuple(files),
            changes=tuple(self.changes),
            decks=tuple(self.decks),
            warnings=tuple(self.warnings),
            large_retirements=tuple(self.large_retirements),
        )
