"""Which deck a notes file goes to, and the deck's name after the import.

Notes find their deck by the file's path; else by the deck the learner named; else by content,
so the same notes under another name or folder (copied, moved, renamed, edited since) update
their deck in place: a deck that shares at least half of its questions and half of the notes'
questions with them. Only then is a new deck made, named from the notes' title
(`core.bank.decks`).
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from pathlib import Path

from desktop.core.bank.decks import deck_name_for, title_subject
from desktop.core.bank.questions import ParsedNotes
from desktop.core.bank.stored import BankReader, StoredDeck, parsed_hash
from desktop.core.errors import VivaError

# A deck holding this share of a notes file's questions, word for word, is that file's deck.
SAME_NOTES_SHARE = 0.5


@dataclass(frozen=True)
class DeckChoice:
    """The deck the notes go to (None: a new one) and its name after the import."""

    deck: StoredDeck | None
    name: str


def choose_deck(reader: BankReader, notes: ParsedNotes, wanted: str | None) -> DeckChoice:
    """Where `notes` go; `wanted` is the name the learner gave their deck, if any. Raises
    `VivaError` when that name belongs to another deck."""
    decks = reader.decks()
    by_name = {deck.name: deck for deck in decks}
    found = next((deck for deck in decks if deck.source_path == notes.path), None)
    if found is None and wanted is not None:
        found = by_name.get(wanted)
    if found is None:
        found = same_notes(reader, notes, decks)
    if found is not None:
        return DeckChoice(found, _kept_name(notes, found, wanted, by_name))
    return DeckChoice(None, _new_name(notes, wanted, by_name))


def _kept_name(
    notes: ParsedNotes, found: StoredDeck, wanted: str | None, taken: Collection[str]
) -> str:
    if wanted is not None and wanted != found.name and wanted in taken:
        raise VivaError(
            f'A deck named "{wanted}" already exists; {Path(notes.path).name} belongs to '
            f'"{found.name}". Choose another name.'
        )
    return wanted or found.name


def _new_name(notes: ParsedNotes, wanted: str | None, taken: Collection[str]) -> str:
    base = wanted or notes.deck_name or deck_name_for(notes.title, Path(notes.path).stem)
    name, number = base, 2
    while name in taken:
        name, number = f"{base} ({number})", number + 1
    return name


def same_notes(
    reader: BankReader, notes: ParsedNotes, decks: Sequence[StoredDeck]
) -> StoredDeck | None:
    """The deck these notes were imported into under another path, if any: the same file, or a
    deck that shares at least half of its questions and half of the notes' questions with them
    (word for word, or by place in the notes when both have the same telling title)."""
    same_content = [deck for deck in decks if deck.content_hash == notes.content_hash]
    if same_content:
        return same_content[0]
    if not notes.questions:
        return None
    return _most_shared(reader, notes, decks) or _moved_file(reader, notes, decks)


def _most_shared(
    reader: BankReader, notes: ParsedNotes, decks: Sequence[StoredDeck]
) -> StoredDeck | None:
    hashes = {parsed_hash(question) for question in notes.questions}
    identities = {question.identity for question in notes.questions}
    best: tuple[float, StoredDeck] | None = None
    for deck in decks:
        live = reader.live_questions(deck.id)
        if not live:
            continue
        shared = sum(1 for question in live if question.source_hash in hashes)
        if deck.title == notes.title and title_subject(notes.title):
            shared = max(shared, sum(1 for question in live if question.identity in identities))
        share = min(shared / len(live), shared / len(notes.questions))
        if share >= SAME_NOTES_SHARE and (best is None or share > best[0]):
            best = (share, deck)
    return best[1] if best is not None else None


def _moved_file(
    reader: BankReader, notes: ParsedNotes, decks: Sequence[StoredDeck]
) -> StoredDeck | None:
    """The deck of a file of the same name that is gone: the file moved (and changed a lot)."""
    if not reader.is_file(notes.path):
        return None  # not a notes file of its own (a deck inside an Anki package)
    here = Path(notes.path).name
    moved = [deck for deck in decks if Path(deck.source_path).name == here]
    if len(moved) == 1 and not reader.is_file(moved[0].source_path):
        return moved[0]
    return None
