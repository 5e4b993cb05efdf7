"""Importing notes files into the bank (the CLI calls the functions, the app's import screen the
`DatabaseNotesImporter`), and the built-in bank on first start."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from pathlib import Path

from desktop.core.bank.importing import ANKI_PACKAGE_SUFFIXES
from desktop.core.bank.questions import ImportSummary, ParsedNotes
from desktop.core.bank.store import ALL_STATUSES, QuestionFilter
from desktop.core.review.recording import record_history
from desktop.importers import parse_notes_file, resolve_notes_path
from desktop.importers.anki import parse_anki_package
from desktop.paths import builtin_bank_files
from desktop.services.practice import Practice
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
        resolved = resolve_notes_path(path)
        if resolved.suffix.lower() in ANKI_PACKAGE_SUFFIXES:
            # An Anki package: a deck of notes per Anki deck.
            for notes in parse_anki_package(resolved):
                parsed.setdefault(notes.path, notes)
            continue
        if str(resolved) in parsed:
            continue
        notes = parse_notes_file(path, include_concepts=include_concepts)
        parsed[str(resolved)] = dataclasses.replace(notes, path=str(resolved))
    return list(parsed.values())


def apply_notes(
    database: Database,
    notes: Sequence[ParsedNotes],
    *,
    dry_run: bool = False,
    overwrite_edits: bool = False,
    deck_names: Mapping[str, str] | None = None,
    anki_history: bool = False,
    allow_retire: bool = False,
) -> ImportSummary:
    """Applies parsed notes to the bank and, with `anki_history`, brings the review history
    of the Anki packages among them, all in one transaction (nothing is written for a dry
    run): stopped at any point, the bank is as it was before or as it is after.
    Raises `RetirementNotConfirmed`, writing nothing, when the import would retire many
    questions (`core.bank.retiring`) and `allow_retire` is False."""
    with database.transaction():
        summary = QuestionBank(database).apply_import(
            notes,
            dry_run=dry_run,
            overwrite_edits=overwrite_edits,
            deck_names=deck_names,
            allow_retire=allow_retire,
        )
        if anki_history:
            summary = bring_anki_history(database, notes, summary)
        return summary


def bring_anki_history(
    database: Database, notes: Sequence[ParsedNotes], summary: ImportSummary
) -> ImportSummary:
    """The answers the notes' source recorded (an Anki package's review log) become the
    questions' review history, replayed through FSRS (the card's memory follows it), and each
    card comes due when Anki has it due. Only questions without a review of their own get one:
    a second import brings nothing twice. For a dry run, counts what would come."""
    bank, practice = QuestionBank(database), Practice.open(database)
    scheduler = practice.scheduler()
    deck_of = {target.path: target.name for target in summary.decks}
    answers = questions = 0
    for parsed in notes:
        if not parsed.history or parsed.path not in deck_of:
            continue
        everything = QuestionFilter(deck=deck_of[parsed.path], statuses=ALL_STATUSES)
        ids = {q.identity: q.id for q in bank.questions(everything)}
        for identity, card in parsed.history.items():
            question_id = ids.get(identity)
            if question_id is not None and practice.reviews.reviews_of(question_id):
                continue  # it has a history here already
            questions += 1
            answers += len(card.answers)
            if not summary.dry_run and question_id is not None:
                record_history(
                    cards=practice.cards,
                    reviews=practice.reviews,
                    scheduler=scheduler,
                    question_id=question_id,
                    answers=card.answers,
                    source="anki",
                    due=card.due,
                )
    if not answers:
        return summary
    line = f"{answers} answer(s) to {questions} question(s) from Anki's review history"
    return dataclasses.replace(summary, history=answers, changes=(*summary.changes, line))


def import_files(
    database: Database,
    paths: Sequence[Path],
    *,
    dry_run: bool = False,
    include_concepts: bool = False,
    overwrite_edits: bool = False,
    anki_history: bool = False,
    allow_retire: bool = False,
) -> ImportSummary:
    """Parses `paths` and applies them (see `apply_notes`)."""
    notes = parse_files(paths, include_concepts=include_concepts)
    return apply_notes(
        database,
        notes,
        dry_run=dry_run,
        overwrite_edits=overwrite_edits,
        anki_history=anki_history,
        allow_retire=allow_retire,
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
        self._database = database

    def read(self, paths: Sequence[Path], *, include_concepts: bool = False) -> list[ParsedNotes]:
        return parse_files(paths, include_concepts=include_concepts)

    def apply(
        self,
        notes: Sequence[ParsedNotes],
        *,
        dry_run: bool = False,
        overwrite_edits: bool = False,
        deck_names: Mapping[str, str] | None = None,
        anki_history: bool = False,
        allow_retire: bool = False,
    ) -> ImportSummary:
        return apply_notes(
            self._database,
            notes,
            dry_run=dry_run,
            overwrite_edits=overwrite_edits,
            deck_names=deck_names,
            anki_history=anki_history,
            allow_retire=allow_retire,
        )
