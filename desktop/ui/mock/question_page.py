"""A mock interview question: its number, the countdown, the prompt, and the answer editor.
No reference, no grade: those wait for the summary."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QSplitter, QVBoxLayout, QWidget

from desktop.ui.clock import format_seconds
from desktop.ui.markdown_view import MarkdownView
from desktop.ui.practice.answer_pane import AnswerPane

# The countdown turns amber when a quarter of the time (at most 30 s) is left, red for the last
# 10 s: a warning in time to wrap up, then the last call.
SOON_SHARE = 0.25
SOON_MAX_SECONDS = 30.0
URGENT_SECONDS = 10.0


class MockQuestionPage(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.position = QLabel()
        self.position.setObjectName("mockPosition")
        self.position.setProperty("role", "section")
        self.countdown = QLabel()
        self.countdown.setObjectName("mockCountdown")
        self.countdown.setProperty("role", "timer")
        self._limit = 0.0
        self.background = QLabel()
        self.background.setObjectName("mockGradingStatus")
        self.background.setProperty("role", "muted")
        header = QHBoxLayout()
        header.addWidget(self.position)
        header.addWidget(self.background, 1)
        header.addWidget(self.countdown)
        self.question = MarkdownView()
        self.question.setObjectName("mockQuestion")
        self.answer_pane = AnswerPane(self_rating=False)
        self.answer_pane.submit_button.setText("Submit answer")
        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.setObjectName("mockSplitter")
        self.splitter.addWidget(self.question)
        self.splitter.addWidget(self.answer_pane)
        self.splitter.setStretchFactor(0, 2)
        self.splitter.setStretchFactor(1, 3)
        self.splitter.setChildrenCollapsible(False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(header)
        layout.addWidget(self.splitter, 1)

    def show_question(self, number: int, total: int, prompt: str, seconds: float) -> None:
        self._limit = seconds
        self.position.setText(f"Question {number} of {total}")
        self.question.set_markdown(prompt)
        self.answer_pane.reset()
        self.show_remaining(seconds)

    def show_remaining(self, seconds: float) -> None:
        self.countdown.setText(format_seconds(seconds + 0.999))  # 0:01 until the very end
        soon = min(SOON_MAX_SECONDS, SOON_SHARE * self._limit)
        urgency = "now" if seconds <= URGENT_SECONDS else "soon" if seconds <= soon else ""
        if self.countdown.property("urgency") != urgency:
            self.countdown.setProperty("urgency", urgency)
            self.countdown.style().polish(self.countdown)
