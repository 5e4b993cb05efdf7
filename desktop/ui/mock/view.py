"""The mock interview screen's pages: setup, a question, waiting for grades, the summary."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QLabel,
    QPlainTextEdit,
    QProgressBar,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from desktop.ui.mock.question_page import MockQuestionPage
from desktop.ui.mock.setup_page import MockSetupPage
from desktop.ui.mock.summary_page import MockSummaryPage
from desktop.ui.screen import muted_label


class MockView(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setup_page = MockSetupPage()
        self.question_page = MockQuestionPage()
        self.waiting_label = muted_label("Preparing the summary…")
        self.waiting_label.setObjectName("mockWaiting")
        self.waiting_progress = QProgressBar()
        self.waiting_progress.setObjectName("mockWaitingProgress")
        self.waiting_progress.setFormat("%v of %m answers graded")
        # The learner's own answers, to read while the grades come in.
        self.answers_so_far = QPlainTextEdit()
        self.answers_so_far.setObjectName("mockAnswersSoFar")
        self.answers_so_far.setReadOnly(True)
        self.waiting_page = QWidget()
        waiting_layout = QVBoxLayout(self.waiting_page)
        waiting_layout.addWidget(self.waiting_label, 0, Qt.AlignmentFlag.AlignHCenter)
        waiting_layout.addWidget(self.waiting_progress)
        waiting_layout.addWidget(QLabel("Your answers, while the grades come in:"))
        waiting_layout.addWidget(self.answers_so_far, 1)
        self.summary_page = MockSummaryPage()
        self.notice = QLabel()
        self.notice.setObjectName("mockNotice")
        self.notice.setProperty("role", "warning")
        self.notice.setWordWrap(True)
        self.notice.setVisible(False)
        self.pages = QStackedWidget()
        for page in (self.setup_page, self.question_page, self.waiting_page, self.summary_page):
            self.pages.addWidget(page)
        layout = QVBoxLayout(self)
        layout.addWidget(self.notice)
        layout.addWidget(self.pages)

    def show_notice(self, text: str) -> None:
        """A sentence above the page (time's up), until the next submit or the setup."""
        self.notice.setText(text)
        self.notice.setVisible(bool(text))

    def show_setup(self) -> None:
        self.show_notice("")
        self.answers_so_far.clear()
        self.pages.setCurrentWidget(self.setup_page)

    def add_answer(self, number: int, prompt: str, answer: str) -> None:
        """An answer given, for the page that waits for the grades."""
        first_line = " ".join(prompt.split())
        said = answer.strip() or "(no answer)"
        self.answers_so_far.appendPlainText(f"Question {number}: {first_line}\n{said}\n")

    def show_grading_progress(self, graded: int, answered: int) -> None:
        self.waiting_progress.setRange(0, max(answered, 1))
        self.waiting_progress.setValue(graded)

    def show_question(self) -> None:
        self.pages.setCurrentWidget(self.question_page)

    def show_waiting(self) -> None:
        self.pages.setCurrentWidget(self.waiting_page)

    def show_summary(self) -> None:
        self.show_notice("")  # "time's up" belonged to the questions
        self.pages.setCurrentWidget(self.summary_page)
        self.summary_page.table.setFocus()
