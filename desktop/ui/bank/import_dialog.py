"""The preview of an import: which deck each file goes to (named by the learner if they wish),
what would be added, updated, brought back and retired, and what deserves a look first
(questions another deck already holds, lines that look like a malformed question heading),
before anything is written. The learner confirms or cancels; the import then applies exactly
the notes that were previewed. An import that would retire many questions
(`core.bank.retiring`) says how many and is applied only once the learner ticks the box that
confirms it."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop.core.bank.importing import ANKI_PACKAGE_SUFFIXES
from desktop.core.bank.questions import DeckTarget, ImportSummary
from desktop.core.bank.retiring import retirement_sentence
from desktop.ui.wording import count_of

NOTES_SUFFIXES = (".md", ".markdown", ".txt", *ANKI_PACKAGE_SUFFIXES)


def summary_sentence(summary: ImportSummary) -> str:
    parts = [
        f"{summary.added} new",
        f"{summary.updated} updated",
        f"{summary.unchanged} unchanged",
        f"{summary.retired} retired",
    ]
    if summary.reactivated:
        parts.insert(2, f"{summary.reactivated} back in the notes")
    if summary.kept_edits:
        parts.append(f"{summary.kept_edits} of your edits kept")
    if summary.renumbered:
        parts.append(f"{summary.renumbered} renumbered (the same questions, history kept)")
    if summary.history:
        parts.append(f"{count_of(summary.history, 'answer')} from Anki's review history")
    kinds = ", ".join(f"{count} {kind}" for kind, count in sorted(summary.by_kind.items()))
    return "; ".join(parts) + (f". By kind: {kinds}." if kinds else ".")


def deck_sentence(target: DeckTarget) -> str:
    if target.is_new:
        return "a new deck"
    if target.previous_name:
        return f'updates your deck "{target.previous_name}" and renames it'
    return "updates this deck in place (its history is kept)"


@dataclass(frozen=True)
class ImportOptions:
    """What the learner chose in the preview."""

    include_concepts: bool = False
    overwrite_edits: bool = False
    deck_names: tuple[tuple[str, str], ...] = ()  # (file path, deck name), as typed
    anki_history: bool = False
    allow_retire: bool = False  # the learner confirmed retiring many questions


class ImportPreviewDialog(QDialog):
    options_changed = Signal()

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
        self.deck_form = QFormLayout()
        self.deck_edits: dict[str, QLineEdit] = {}
        self.deck_notes: dict[str, QLabel] = {}
        self.warnings_label = QLabel()
        self.warnings_label.setObjectName("importWarnings")
        self.warnings_label.setProperty("role", "warning")
        self.warnings_label.setWordWrap(True)
        self.summary_label = QLabel()
        self.summary_label.setObjectName("importSummary")
        self.summary_label.setWordWrap(True)
        self.retire_label = QLabel()
        self.retire_label.setObjectName("importRetirements")
        self.retire_label.setProperty("role", "warning")
        self.retire_label.setWordWrap(True)
        self.confirm_retire = QCheckBox()
        self.confirm_retire.setObjectName("confirmRetire")
        self.confirm_retire.toggled.connect(self._update_import_button)
        self.changes = QListWidget()
        self.changes.setObjectName("importChanges")
        self.include_concepts = QCheckBox("Also make cards from topic sections (concept cards)")
        self.include_concepts.setObjectName("includeConcepts")
        self.include_concepts.toggled.connect(self.options_changed)
        self.overwrite_edits = QCheckBox("Take the notes' version of questions I edited here")
        self.overwrite_edits.setObjectName("overwriteEdits")
        self.overwrite_edits.toggled.connect(self.options_changed)
        self.anki_history = QCheckBox(
            "Bring each Anki card's review history (its due date carries over)"
        )
        self.anki_history.setObjectName("ankiHistory")
        self.anki_history.setVisible(
            any(path.suffix.lower() in ANKI_PACKAGE_SUFFIXES for path in files)
        )
        self.anki_history.toggled.connect(self.options_changed)
        self.note = QLabel()
        self.note.setProperty("role", "muted")
        self.note.setWordWrap(True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.import_button = QPushButton("Import")
        self.import_button.setObjectName("confirmImportButton")
        self.import_button.setDefault(True)
        self.buttons.addButton(self.import_button, QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addLayout(self.deck_form)
        layout.addWidget(self.warnings_label)
        layout.addWidget(self.summary_label)
        layout.addWidget(self.retire_label)
        layout.addWidget(self.confirm_retire)
        layout.addWidget(self.changes, 1)
        layout.addWidget(self.include_concepts)
        layout.addWidget(self.overwrite_edits)
        layout.addWidget(self.anki_history)
        layout.addWidget(self.note)
        layout.addWidget(self.buttons)
        self.resize(680, 520)
        self.show_summary(summary)

    def _deck_row(self, target: DeckTarget) -> None:
        edit = QLineEdit(target.name)
        edit.setObjectName("deckName")
        edit.setToolTip("The deck's name: change it to name the deck yourself")
        edit.editingFinished.connect(self._on_deck_name_edited)
        note = QLabel()
        note.setProperty("role", "muted")
        row = QVBoxLayout()
        row.setSpacing(2)
        row.addWidget(edit)
        row.addWidget(note)
        self.deck_form.addRow(f"{Path(target.path).name} → deck:", row)
        self.deck_edits[target.path] = edit
        self.deck_notes[target.path] = note

    def _on_deck_name_edited(self) -> None:
        shown = {target.path: target.name for target in self.summary.decks}
        if any(
            edit.text().strip() and edit.text().strip() != shown.get(path)
            for path, edit in self.deck_edits.items()
        ):
            self.options_changed.emit()

    def options(self) -> ImportOptions:
        return ImportOptions(
            include_concepts=self.include_concepts.isChecked(),
            overwrite_edits=self.overwrite_edits.isChecked(),
            anki_history=self.anki_history.isChecked(),
            allow_retire=self.retire_confirmed(),
            deck_names=tuple(
                (path, edit.text().strip())
                for path, edit in self.deck_edits.items()
                if edit.text().strip()
            ),
        )

    def show_summary(self, summary: ImportSummary) -> None:
        self.summary = summary
        for target in summary.decks:
            if target.path not in self.deck_edits:
                self._deck_row(target)
            edit = self.deck_edits[target.path]
            if not edit.hasFocus():
                edit.setText(target.name)
            self.deck_notes[target.path].setText(deck_sentence(target))
        self.warnings_label.setText("\n".join(f"⚠ {line}" for line in summary.warnings))
        self.warnings_label.setVisible(bool(summary.warnings))
        self.summary_label.setText(summary_sentence(summary))
        self.changes.clear()
        self.changes.addItems(list(summary.changes) or ["No changes."])
        self._show_retirements(summary)
        changed = summary.changes_anything
        self.import_button.setText("Import" if changed else "Nothing to import")
        for control in self._controls():
            control.setEnabled(True)
        self._update_import_button()
        self.note.setText(
            "Nothing has been written yet. "
            + (
                "Questions you edited here take the notes' version."
                if self.overwrite_edits.isChecked()
                else "Questions you edited here keep your edits."
            )
        )

    def _show_retirements(self, summary: ImportSummary) -> None:
        found = summary.large_retirements
        retired = sum(item.retired for item in found)
        text = f"⚠ {retirement_sentence(found)}" if found else ""
        if text != self.retire_label.text():
            self.confirm_retire.setChecked(False)  # a new count asks again
        self.retire_label.setText(text)
        self.confirm_retire.setText(
            f"Yes, retire these {retired} questions (their history is kept, and they come back "
            "when the notes hold them again)"
        )
        self.retire_label.setVisible(bool(found))
        self.confirm_retire.setVisible(bool(found))

    def retire_confirmed(self) -> bool:
        """Whether the import may retire what the preview says (confirmed, or nothing much)."""
        return not self.summary.needs_retire_confirmation or self.confirm_retire.isChecked()

    def _update_import_button(self) -> None:
        self.import_button.setEnabled(self.summary.changes_anything and self.retire_confirmed())

    def _controls(self) -> list[QWidget]:
        return [
            self.include_concepts,
            self.overwrite_edits,
            self.anki_history,
            self.confirm_retire,
            *self.deck_edits.values(),
        ]

    def set_busy(self) -> None:
        self.import_button.setEnabled(False)
        for control in self._controls():
            control.setEnabled(False)
        self.summary_label.setText("Working out the changes…")
