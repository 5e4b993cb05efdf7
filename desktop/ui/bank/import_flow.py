"""Importing notes files from the browser: a dry run, the preview, then the import itself, each
step on the database lane. Used by the Import button and by drag-and-drop alike."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QDialog, QFileDialog, QWidget

from desktop.core.bank.importing import NotesImporter
from desktop.core.bank.questions import ImportSummary
from desktop.ui.bank.import_dialog import ImportPreviewDialog
from desktop.ui.error_dialog import show_failure
from desktop.ui.tasks import Lane, TaskFailure, TaskRunner

ChooseFiles = Callable[[QWidget], list[Path]]


def choose_notes_files(parent: QWidget) -> list[Path]:
    files, _filter = QFileDialog.getOpenFileNames(
        parent, "Import notes files", "", "Markdown notes (*.md *.markdown *.txt);;All files (*)"
    )
    return [Path(file) for file in files]


class ImportFlow(QObject):
    previewed = Signal(object)  # the dialog, once it is open
    imported = Signal(object)  # ImportSummary
    failed = Signal(object)  # TaskFailure

    def __init__(self, importer: NotesImporter, runner: TaskRunner, parent: QWidget) -> None:
        super().__init__(parent)
        self._importer = importer
        self._runner = runner
        self._parent = parent
        self.dialog: ImportPreviewDialog | None = None
        self.busy = False

    def start(self, files: list[Path]) -> None:
        if self.busy or not files:
            return
        self.busy = True
        self._dry_run(files, include_concepts=False)

    def _dry_run(self, files: list[Path], *, include_concepts: bool) -> None:
        self._runner.submit(
            Lane.DATABASE,
            "reading the notes files",
            lambda _c: self._importer.import_files(
                files, dry_run=True, include_concepts=include_concepts
            ),
            on_success=lambda summary: self._on_dry_run_finished(files, summary),
            on_failure=self._on_failed,
        )

    def _on_dry_run_finished(self, files: list[Path], summary: ImportSummary) -> None:
        if self.dialog is not None:
            self.dialog.show_summary(summary)
            return
        dialog = ImportPreviewDialog(files, summary, self._parent)

        def on_concepts_toggled(include: bool) -> None:
            dialog.set_busy()
            self._dry_run(files, include_concepts=include)

        dialog.concepts_toggled.connect(on_concepts_toggled)
        dialog.finished.connect(self._on_dialog_finished)
        self.dialog = dialog
        dialog.open()
        self.previewed.emit(dialog)

    def _on_dialog_finished(self, result: int) -> None:
        dialog = self.dialog
        self.dialog = None
        if dialog is None:
            return
        dialog.deleteLater()
        if result != QDialog.DialogCode.Accepted:
            self.busy = False
            return
        files = dialog.files
        include = dialog.include_concepts.isChecked()
        self._runner.submit(
            Lane.DATABASE,
            "importing the notes files",
            lambda _c: self._importer.import_files(files, include_concepts=include),
            on_success=self._on_imported,
            on_failure=self._on_failed,
        )

    def _on_imported(self, summary: ImportSummary) -> None:
        self.busy = False
        self.imported.emit(summary)

    def _on_failed(self, failure: TaskFailure) -> None:
        self.busy = False
        if self.dialog is not None:
            self.dialog.reject()
        self.failed.emit(failure)
        show_failure(self._parent, "The notes could not be imported", failure)
