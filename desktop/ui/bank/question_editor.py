"""Editing one question: prompt, reference answer (Markdown), key points (one per line), the
known-wrong answer and tags. The edit is kept when unchanged notes are imported again."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from desktop.core.bank.questions import Question
from desktop.ui import shortcuts
from desktop.ui.answer_editor import AnswerEditor


@dataclass(frozen=True)
class QuestionEdit:
    prompt: str
    reference: str
    key_points: tuple[str, ...]
    wrong_answer: str
    tags: tuple[str, ...]


def _editor(text: str, name: str, lines: int) -> QPlainTextEdit:
    editor = AnswerEditor()  # Tab inserts spaces: reference answers hold code
    editor.setPlaceholderText("")
    editor.setObjectName(name)
    editor.setPlainText(text)
    editor.setMinimumHeight(editor.fontMetrics().lineSpacing() * lines)
    return editor


class QuestionEditorDialog(QDialog):
    def __init__(self, question: Question, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("questionEditor")
        self.setWindowTitle(f"Edit question — {question.topic or question.deck}")
        self.question = question
        self.prompt = _editor(question.prompt, "editPrompt", 3)
        self.reference = _editor(question.reference, "editReference", 10)
        self.key_points = _editor("\n".join(question.key_points), "editKeyPoints", 5)
        self.wrong_answer = _editor(question.wrong_answer or "", "editWrongAnswer", 2)
        self.tags = QLineEdit(", ".join(question.tags))
        self.tags.setObjectName("editTags")
        form = QFormLayout()
        form.addRow("&Prompt", self.prompt)
        form.addRow("&Reference answer\n(Markdown)", self.reference)
        form.addRow("&Key points\n(one per line)", self.key_points)
        form.addRow("&Wrong answer\n(optional)", self.wrong_answer)
        form.addRow("&Tags\n(comma separated)", self.tags)
        source = QLabel(f"From {question.source_file}, line {question.source_line}")
        source.setProperty("role", "muted")
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        QShortcut(QKeySequence(shortcuts.SAVE_EDIT.keys), self, self.accept)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(source)
        layout.addWidget(self.buttons)
        self.resize(760, 720)

    def edit(self) -> QuestionEdit:
        points = tuple(line.strip(" -*\t") for line in self.key_points.toPlainText().splitlines())
        tags = tuple(tag.strip() for tag in self.tags.text().split(","))
        return QuestionEdit(
            prompt=self.prompt.toPlainText().strip(),
            reference=self.reference.toPlainText().strip(),
            key_points=tuple(point for point in points if point),
            wrong_answer=self.wrong_answer.toPlainText().strip(),
            tags=tuple(tag for tag in tags if tag),
        )
