"""The composition root: every service of the app over one open database, wired in one place.

The window (`desktop.app`), every command-line command (`desktop.cli`), `selfcheck`, the
screenshot script and the test fixtures take their parts from a `Viva`, so the repositories,
the learner's settings and the model manager are put together the same way everywhere. The
reporting and model modules load only when a report or a model is asked for.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from desktop.core.errors import DatabaseError
from desktop.paths import UserPaths
from desktop.services.notes_import import DatabaseNotesImporter
from desktop.services.practice import Practice
from desktop.storage.database import Database
from desktop.storage.history import HistoryRepository
from desktop.storage.private_files import make_private_folder
from desktop.storage.question_bank import QuestionBank
from desktop.storage.settings_store import DatabaseSettingsStore

if TYPE_CHECKING:
    from desktop.grading import ModelManager
    from desktop.reports.service import ReportService


@dataclass(frozen=True)
class Viva:
    paths: UserPaths
    database: Database
    practice: Practice
    history: HistoryRepository

    @classmethod
    def open(cls, paths: UserPaths) -> Viva:
        """Opens (and migrates) the database at `paths`; raises `DatabaseError` with the reason.
        The data folder, when the database is in it, is made private first."""
        if paths.database_file is None:
            try:
                make_private_folder(paths.data_dir)
            except OSError as error:
                raise DatabaseError(
                    f"Cannot create the data folder {paths.data_dir}: {error}"
                ) from error
        return cls.over(paths, Database.open(paths.database, backups_dir=paths.backups_dir))

    @classmethod
    def over(cls, paths: UserPaths, database: Database) -> Viva:
        return cls(paths, database, Practice.open(database), HistoryRepository(database))

    @property
    def bank(self) -> QuestionBank:
        return self.practice.questions

    @property
    def settings(self) -> DatabaseSettingsStore:
        return self.practice.settings_store

    def importer(self) -> DatabaseNotesImporter:
        return DatabaseNotesImporter(self.database)

    def reports(self) -> ReportService:
        from desktop.reports.service import ReportService

        return ReportService(
            self.history, self.practice.schedule_settings, protected=self.paths.protected_files
        )

    def model_manager(self) -> ModelManager:
        from desktop.grading import ModelManager
        from desktop.storage.calibrations import StoredCalibrations

        return ModelManager(self.paths, self.settings, StoredCalibrations(self.database))

    def close(self) -> None:
        self.database.close()
