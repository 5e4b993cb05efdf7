"""Importing notes files into the bank (the CLI calls the functions, the app's import screen the
`DatabaseNotesImporter`), and the built-in bank on first start."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from pathlib import Path

from desktop.core.bank.questions import ImportSummary, ParsedNotes
from desktop.importers import parse_notes_file
from desktop.importers.anki import ANKI_SUFFIXES, parse_anki_package
from desktop.paths import builtin_bank_files
from desktop.storage.database import Database
from desktop.storage.question_bank import QuestionBank


def parse_files(paths: Sequence[Path], *, include_concepts: bool = False) -> list[ParsedNotes]:
    """Parses every file before anything is written, so one bad file changes nothing.

    Raises `NotesFormatError` (naming the file and line) for the first file that cannot be
    imported. Each result's `path` is the file's absolute path, which identifies its deck; an
    Anki package (.apkg, .colpkg) gives one result per Anki deck, "PACKAGE#DECK".
    """
    parsed: dict[str, ParsedNotes] = {}
    for path in paths:
        resolved = path.expanduser().resolve()
        if resolved.suffix.lower() in ANKI_SUFFIXES:
            # An Anki package: a deck of notes per Anki deck.
            for notes in parse_anki_package(resolved):
                parsed.setdefault(notes.path, notes)
            continue
        if str(resolved) in parsed:
            continue
        notes = parse_notes_file(path, include_concepts=include_concepts)
        parsed[str(resolved)] = dataclasses.replace(notes, path=str(resolved))
    return list(parsed.values())


def import_files(
    database: Database,
    paths: Sequence[Path],
    *,
    dry_run: bool = False,
    include_concepts: bool = False,
    overwrite_edits: bool = False,
) -> ImportSummary:
    """Parses `paths` and applies them to the bank in one transaction (none for a dry run)."""
    notes = parse_files(paths, include_concepts=include_concepts)
    return QuestionBank(database).apply_import(
        notes, dry_run=dry_run, overwrite_edits=overwrite_edits
    )


def ensure_builtin_bank(
    database: Database, files: Sequence[Path] | None = None
) -> ImportSummary | None:
    """Imports the built-in bank (`resources/bank/*.md`) when the bank has no decks yet.

    Returns what was imported, or None when the bank already had decks (or there is no
    built-in bank to import). Raises `NotesFormatError` if a built-in file is broken.
    """
    bank = QuestionBank(database)
    if bank.has_decks():
        return None
    files = builtin_bank_files() if files is None else files
    if not files:
        return None
    return bank.apply_import(parse_files(files))


class DatabaseNotesImporter:
    """`core.bank.importing.NotesImporter` over one database."""

    def __init__(self, database: Database) -> None:
        self._bank = QuestionBank(database)

    def read(self, paths: Sequence[Path], *, include_concepts: bool = False) -> list[ParsedNotes]:
        return parse_files(paths, include_concepts=include_concepts)

    def apply(
        self,
        notes: Sequence[ParsedNotes],
        *,
        dry_run: bool = False,
        overwrite_edits: bool = False,
        deck_names: Mapping[str, str] | None = None,
    ) -> ImportSummary:
        return self._bank.apply_import(
            notes, dry_run=dry_run, overwrite_edits=overwrite_edits, deck_names=deck_names
        )
