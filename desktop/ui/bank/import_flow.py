"""Importing notes files from the browser: the files are read once, previewed (a dry run of
those parsed notes), and on confirmation the same parsed notes are applied, each step on the
database lane. Used by the Import button, Ctrl+I and drag-and-drop alike. Only the concept-cards
choice reads the files again (it changes what is parsed). An import that retires many questions
is applied only with the preview's confirmation of it, and only for what was previewed."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence
from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QDialog, QFileDialog, QWidget

from desktop.core.bank.importing import NotesImporter
from desktop.core.bank.questions import ImportSummary, ParsedNotes
from desktop.ui.bank.import_dialog import ImportOptions, ImportPreviewDialog
from desktop.ui.error_dialog import show_failure
from desktop.ui.tasks import Lane, TaskFailure, TaskRunner

# Asks for the files to import, starting in the given folder.
ChooseFiles = Callable[[QWidget, Path], list[Path]]
Previewed = tuple[list[ParsedNotes], ImportSummary]


def choose_notes_files(parent: QWidget, start: Path) -> list[Path]:
    files, _filter = QFileDialog.getOpenFileNames(
        parent,
        "Import notes files",
        str(start),
        "Notes and Anki packages (*.md *.markdown *.txt *.apkg *.colpkg);;"
        "Markdown notes (*.md *.markdown *.txt);;Anki packages (*.apkg *.colpkg);;All files (*)",
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
        self._files: list[Path] = []
        self._notes: list[ParsedNotes] = []
        self._options = ImportOptions()

    def start(self, files: list[Path]) -> None:
        if self.busy or not files:
            return
        self.busy = True
        self._files = files
        self._preview(ImportOptions(), read=True)

    def _preview(self, options: ImportOptions, *, read: bool) -> None:
        importer, files, notes = self._importer, self._files, self._notes

        def work(_context: object) -> Previewed:
            parsed = (
                importer.read(files, include_concepts=options.include_concepts) if read else notes
            )
            return parsed, self._apply(parsed, options, dry_run=True)

        self._runner.submit(
            Lane.DATABASE,
            "reading the notes files",
            work,
            on_success=lambda previewed: self._on_previewed(options, previewed),
            on_failure=self._on_failed,
        )

    def _apply(
        self, notes: Sequence[ParsedNotes], options: ImportOptions, *, dry_run: bool
    ) -> ImportSummary:
        return self._importer.apply(
            notes,
            dry_run=dry_run,
            overwrite_edits=options.overwrite_edits,
            deck_names=dict(options.deck_names),
            anki_history=options.anki_history,
            allow_retire=options.allow_retire,
        )

    def _on_previewed(self, options: ImportOptions, previewed: Previewed) -> None:
        self._notes, summary = previewed
        self._options = options
        if self.dialog is not None:
            self.dialog.show_summary(summary)
            return
        dialog = ImportPreviewDialog(self._files, summary, self._parent)
        dialog.options_changed.connect(self._on_options_changed)
        dialog.finished.connect(self._on_dialog_finished)
        self.dialog = dialog
        dialog.open()
        self.previewed.emit(dialog)

    def _on_options_changed(self) -> None:
        dialog = self.dialog
        if dialog is None:
            return
        options = dialog.options()
        dialog.set_busy()
        self._preview(options, read=options.include_concepts != self._options.include_concepts)

    def _on_dialog_finished(self, result: int) -> None:
        dialog = self.dialog
        self.dialog = None
        if dialog is None:
            return
        dialog.deleteLater()
        if result != QDialog.DialogCode.Accepted:
            self.busy = False
            return
        # The options previewed, with the confirmation the learner gave for that preview.
        notes = self._notes
        options = dataclasses.replace(self._options, allow_retire=dialog.retire_confirmed())
        self._runner.submit(
            Lane.DATABASE,
            "importing the notes files",
            lambda _context: self._apply(notes, options, dry_run=False),
            on_success=self._on_imported,
            on_failure=self._on_failed,
        )

    def _on_imported(self, summary: ImportSummary) -> None:
        self.busy = False
        self.imported.emit(summary)

    def _on_failed(self, failure: TaskFailure) -> None:
        if self.dialog is not None and self._notes:
            # A choice the import cannot honour (a deck name already taken): say so and let
            # the learner choose again; the preview stays open.
            show_failure(self.dialog, "The notes could not be imported", failure)
            self.dialog.show_summary(self.dialog.summary)
            return
        self.busy = False
        if self.dialog is not None:
            self.dialog.reject()
        self.failed.emit(failure)
        show_failure(self._parent, "The notes could not be imported", failure)
