"""Importing notes files as the app's screens see it (the command line calls the service
functions directly). Implemented over `desktop.services.notes_import` by the composition root."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Protocol

from desktop.core.bank.questions import ImportSummary


class NotesImporter(Protocol):
    def import_files(
        self, paths: Sequence[Path], *, dry_run: bool = False, include_concepts: bool = False
    ) -> ImportSummary:
        """Parses every file, then applies all of them in one transaction (none when
        `dry_run`). Raises `NotesFormatError` naming the file (and line) that cannot be read."""
        ...
