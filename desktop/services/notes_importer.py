"""`core.importing.NotesImporter` over one database: what the app's import screen calls."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from desktop.core.questions import ImportSummary
from desktop.services.bank import import_files
from desktop.storage.database import Database


class DatabaseNotesImporter:
    def __init__(self, database: Database) -> None:
        self._database = database

    def import_files(
        self, paths: Sequence[Path], *, dry_run: bool = False, include_concepts: bool = False
    ) -> ImportSummary:
        return import_files(
            self._database, paths, dry_run=dry_run, include_concepts=include_concepts
        )
