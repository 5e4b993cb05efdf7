"""The dry-run preview of an import: what would be added, updated, kept and retired, before
anything is written. The learner confirms or cancels."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QListWidget,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop.core.bank.questions import ImportSummary

NOTES_SUFFIXES = (".md", ".markdown", ".txt")


def summary_sentence(summary: ImportSummary) -> str:
    parts = [
        f"{summary.added} new",
        f"{summary.updated} updated",
        f"{summary.unchanged} unchanged",
        f"{summary.retired} retired",
    ]
    if summary.kept_edits:
        parts.append(f"{summary.kept_edits} of your edits kept")
    kinds = ", ".join(f"{count} {kind}" for kind, count in sorted(summary.by_kind.items()))
    return "; ".join(parts) + (f". By kind: {kinds}." if kinds else ".")


class ImportPreviewDialog(QDialog):
    concepts_toggled = Signal(bool)

    def __init__(
        self, files: list[Path], summary: ImportSummary, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("importPreview")
        self.setWindowTitle("Import notes — preview")
        self.files = files
        names = ", ".join(path.name for path in files)
        heading = QLabel(f"Importing {names} would change the bank like this:")
        heading.setWordWrap(True)
        self.summary_label = QLabel()
        self.summary_label.setObjectName("importSummary")
        self.summary_label.setWordWrap(True)
        self.changes = QListWidget()
        self.changes.setObjectName("importChanges")
        self.include_concepts = QCheckBox("Also make cards from topic sections (concept cards)")
        self.include_concepts.setObjectName("includeConcepts")
        self.include_concepts.toggled.connect(self.concepts_toggled)
        note = QLabel("Nothing has been written yet. Questions you edited keep your edits.")
        note.setProperty("role", "muted")
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.import_button = QPushButton("Import")
        self.import_button.setObjectName("confirmImportButton")
        self.import_button.setDefault(True)
        self.buttons.addButton(self.import_button, QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(self.summary_label)
        layout.addWidget(self.changes, 1)
        layout.addWidget(self.include_concepts)
        layout.addWidget(note)
        layout.addWidget(self.buttons)
        self.resize(640, 480)
        self.show_summary(summary)

    def show_summary(self, summary: ImportSummary) -> None:
        self.summary = summary
        self.summary_label.setText(summary_sentence(summary))
        self.changes.clear()
        self.changes.addItems(list(summary.changes) or ["No changes."])
        changed = summary.added + summary.updated + summary.retired
        self.import_button.setEnabled(changed > 0)
        self.import_button.setText("Import" if changed else "Nothing to import")
        self.include_concepts.setEnabled(True)

    def set_busy(self) -> None:
        self.import_button.setEnabled(False)
        self.include_concepts.setEnabled(False)
        self.summary_label.setText("Reading the files again…")
