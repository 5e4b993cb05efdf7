"""The question bank's domain types: what a question is, where it came from, its status."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from desktop.core.bank.retiring import LargeRetirement
from desktop.core.review.cards import PastCard


class QuestionKind(StrEnum):
    QA = "qa"
    TRAP = "trap"
    STORY = "story"
    CONCEPT = "concept"


class QuestionStatus(StrEnum):
    ACTIVE = "active"
    SUSPENDED = "suspended"
    RETIRED = "retired"


TOPIC_SEPARATOR = " > "


@dataclass(frozen=True)
class ParsedQuestion:
    """One question as read from a notes file, before it has a database identity.

    `identity` names the question within its source: for notes, its place ("qa:Q7",
    "trap:3", "story:1", "concept:13.1 PyTorch > Autograd Mechanism"), which an edit of the
    notes may change (an import finds the stored question by its text, `core.bank.matching`);
    for an Anki note, its guid, which never changes.
    """

    kind: QuestionKind
    identity: str
    topic: tuple[str, ...]
    prompt: str
    reference: str
    key_points: tuple[str, ...]
    line: int
    wrong_answer: str | None = None
    tags: tuple[str, ...] = ()

    @property
    def topic_path(self) -> str:
        return TOPIC_SEPARATOR.join(self.topic)


@dataclass(frozen=True)
class ParsedNotes:
    """A whole notes file, parsed.

    `concepts_included` says whether `concept` cards were asked for; when they were not, an
    import leaves the deck's existing concept cards alone instead of retiring them.
    `deck_name` is set when the source names its deck itself (an Anki package does); a notes
    file's deck is named from its title. `history` holds the answers the source recorded for
    its questions (an Anki package's review log), read with them.

    `identity_by_content` says that the identities are only places in the source (question
    numbers), so an import matches the questions to stored ones by their text
    (`core.bank.matching`); otherwise (an Anki note's guid) the identity alone decides.
    `warnings` are what the reader noticed but could still read (a malformed question
    heading), each naming its line.
    """

    path: str
    title: str
    content_hash: str
    questions: tuple[ParsedQuestion, ...]
    concepts_included: bool = False
    deck_name: str | None = None  # the name the source gives its deck (an Anki deck's)
    history: Mapping[str, PastCard] = field(default_factory=dict)  # by question identity
    identity_by_content: bool = False
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True)
class Question:
    """A question stored in the bank."""

    id: int
    deck_id: int
    deck: str
    identity: str
    kind: QuestionKind
    topic: str
    prompt: str
    reference: str
    key_points: tuple[str, ...]
    wrong_answer: str | None
    tags: tuple[str, ...]
    source_file: str
    source_line: int
    status: QuestionStatus
    position: int
    edited: bool = False
    created_at: datetime | None = None
    updated_at: datetime | None = None


@dataclass(frozen=True)
class Deck:
    id: int
    name: str
    source_path: str
    title: str
    content_hash: str
    imported_at: datetime


@dataclass(frozen=True)
class DeckTarget:
    """Where one notes file goes: its deck's name after the import, whether the deck is new,
    and the name it had before when the import renames it."""

    path: str
    name: str
    is_new: bool
    previous_name: str | None = None

    def as_json(self) -> dict[str, object]:
        return {
            "path": self.path,
            "deck": self.name,
            "new": self.is_new,
            "previous_name": self.previous_name,
        }


@dataclass(frozen=True)
class ImportSummary:
    """What an import did (or, for a dry run, would do).

    Every question in the files is counted once, as added, updated, unchanged or reactivated
    (a retired question that is back in the file); `retired` counts questions that left the
    files. `kept_edits` counts questions edited in the app whose notes changed too: the edit
    was kept and `changes` says so. `renumbered` counts questions found under another number
    than before (also counted as updated or unchanged). `by_kind` counts the files' questions
    per kind. `decks` says where each file went; `warnings` what deserves a look before
    importing (questions another deck already holds, a malformed question heading);
    `large_retirements` the decks of which the import retires so many questions that it must
    be confirmed (`core.bank.retiring`).
    """

    added: int = 0
    updated: int = 0
    unchanged: int = 0
    retired: int = 0
    reactivated: int = 0
    kept_edits: int = 0
    renumbered: int = 0
    by_kind: dict[str, int] = field(default_factory=dict)
    dry_run: bool = False
    files: tuple[str, ...] = ()
    changes: tuple[str, ...] = ()
    decks: tuple[DeckTarget, ...] = ()
    warnings: tuple[str, ...] = ()
    history: int = 0  # answers brought from Anki's review log
    large_retirements: tuple[LargeRetirement, ...] = ()

    @property
    def changes_anything(self) -> bool:
        """Whether importing writes anything a person would notice."""
        counted = self.added + self.updated + self.retired + self.reactivated + self.history
        counted += self.renumbered
        return bool(counted) or any(d.is_new or d.previous_name for d in self.decks)

    @property
    def needs_retire_confirmation(self) -> bool:
        return bool(self.large_retirements)

    def as_json(self) -> dict[str, object]:
        return {
            "added": self.added,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "retired": self.retired,
            "reactivated": self.reactivated,
            "kept_edits": self.kept_edits,
            "renumbered": self.renumbered,
            "by_kind": dict(self.by_kind),
            "dry_run": self.dry_run,
            "files": list(self.files),
            "changes": list(self.changes),
            "decks": [deck.as_json() for deck in self.decks],
            "warnings": list(self.warnings),
            "history": self.history,
            "large_retirements": [item.as_json() for item in self.large_retirements],
        }
