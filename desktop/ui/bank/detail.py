"""The selected question in full: prompt, reference answer, key points and where it came from,
with the actions that apply to it."""

from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QPushButton, QVBoxLayout, QWidget

from desktop.core.bank.questions import Question, QuestionStatus
from desktop.ui import shortcuts
from desktop.ui.markdown_view import MarkdownView


def question_markdown(question: Question) -> str:
    points = "\n".join(f"- {point}" for point in question.key_points) or "_none_"
    wrong = (
        f"\n\n#### Known wrong answer\n\n{question.wrong_answer}" if question.wrong_answer else ""
    )
    tags = f" · tags: {', '.join(question.tags)}" if question.tags else ""
    edited = " · edited in Viva" if question.edited else ""
    return (
        f"{question.prompt}\n\n#### Reference answer\n\n{question.reference}\n\n"
        f"#### Key points\n\n{points}{wrong}\n\n---\n\n"
        f"_{question.kind.value} · {question.status.value} · {question.source_file}:"
        f"{question.source_line}{tags}{edited}_"
    )


class QuestionDetail(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.view = MarkdownView()
        self.view.setObjectName("questionDetail")
        self.edit_button = QPushButton("Edit…")
        self.edit_button.setObjectName("editQuestionButton")
        self.edit_button.setToolTip(shortcuts.EDIT.keys)
        self.suspend_button = QPushButton("Suspend")
        self.suspend_button.setObjectName("suspendButton")
        self.suspend_button.setToolTip(shortcuts.SUSPEND.keys)
        self.retire_button = QPushButton("Retire")
        self.retire_button.setObjectName("retireButton")
        self.retire_button.setToolTip(shortcuts.RETIRE.keys)
        buttons = QHBoxLayout()
        buttons.addWidget(self.edit_button)
        buttons.addStretch(1)
        buttons.addWidget(self.suspend_button)
        buttons.addWidget(self.retire_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.view, 1)
        layout.addLayout(buttons)
        self.show_question(None)

    def show_question(self, question: Question | None) -> None:
        for button in (self.edit_button, self.suspend_button, self.retire_button):
            button.setEnabled(question is not None)
        if question is None:
            self.view.set_markdown("_Select a question to see it in full._")
            return
        self.view.set_markdown(question_markdown(question))
        suspended = question.status is QuestionStatus.SUSPENDED
        retired = question.status is QuestionStatus.RETIRED
        self.suspend_button.setText("Resume" if suspended else "Suspend")
        self.suspend_button.setEnabled(not retired)
        self.retire_button.setText("Restore" if retired else "Retire")
