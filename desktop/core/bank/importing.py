"""Importing notes files as the app's screens see it (the command line calls the service
functions directly). Implemented over `desktop.services.notes_import` by the composition root."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Protocol

from desktop.core.bank.questions import ImportSummary, ParsedNotes, Question

# Writes questions as an Anki package; returns the number of notes (raises `VivaError`).
ExportAnki = Callable[[Sequence[Question], Path], int]

# The files that are Anki packages (the rest are Markdown notes).
ANKI_PACKAGE_SUFFIXES = (".apkg", ".colpkg")


class NotesImporter(Protocol):
    """The preview shows what `apply(notes, dry_run=True)` reports and the import applies the
    very same parsed `notes`: what is imported is what was previewed."""

    def read(self, paths: Sequence[Path], *, include_concepts: bool = False) -> list[ParsedNotes]:
        """Parses every file. Raises `NotesFormatError` naming the file (and line) that cannot
        be read."""
        ...

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
        """Applies all of `notes` in one transaction (none when `dry_run`); `deck_names` names
        a file's deck, by the file's path; `anki_history` brings the review history of Anki
        packages. An import that would retire many questions (the preview's
        `large_retirements`) raises `RetirementNotConfirmed` and writes nothing unless
        `allow_retire`: the learner confirmed it."""
        ...
