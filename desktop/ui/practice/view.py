"""The practice screen's layout: the question above, the answer (or the result) below, a
header with progress and the question's timer. Behaviour lives in `controller.py`."""

from __future__ import annotations

from datetime import UTC, datetime

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from desktop.core.grading.grades import Grade, GradeStatus, KeyPointVerdict, Verdict
from desktop.core.review.cards import Rating
from desktop.core.review.session import PendingAnswer
from desktop.ui.deck_choice import ALL_DECKS
from desktop.ui.markdown_view import MarkdownView
from desktop.ui.practice.answer_pane import AnswerPane
from desktop.ui.practice.due_text import preview_texts
from desktop.ui.practice.rating_bar import RatingBar
from desktop.ui.practice.result_panel import ResultPanel
from desktop.ui.practice.shown import ShownQuestion
from desktop.ui.screen import muted_label, title_label


class MessagePage(QWidget):
    """A page with a title, a sentence and one button (nothing due, session finished)."""

    def __init__(self, title: str, button_text: str, object_name: str) -> None:
        super().__init__()
        self.title = title_label(title)
        self.text = muted_label()
        self.button = QPushButton(button_text)
        self.button.setObjectName(object_name)
        self.button.setProperty("primary", True)
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        # Full width with centred text: a wrapped label centred as a widget gets cut.
        self.text.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        layout.addWidget(self.title, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addWidget(self.text)
        layout.addWidget(self.button, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addStretch(2)


class PracticeView(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.progress_label = QLabel()
        self.progress_label.setObjectName("practiceProgress")
        self.progress_label.setProperty("role", "section")
        self.topic_label = muted_label()
        self.topic_label.setObjectName("practiceTopic")
        self.timer_label = QLabel("0:00")
        self.timer_label.setObjectName("questionTimer")
        self.timer_label.setProperty("role", "timer")
        self.deck_choice = QComboBox()
        self.deck_choice.setObjectName("practiceDeck")
        self.deck_choice.setToolTip("Practise one deck, or every deck")
        self.deck_choice.addItem(ALL_DECKS, None)
        header = QHBoxLayout()
        header.addWidget(self.progress_label)
        header.addWidget(self.topic_label, 1)
        header.addWidget(self.timer_label)

        self.question = MarkdownView()
        self.question.setObjectName("questionView")
        self.answer_pane = AnswerPane()
        self.result_panel = ResultPanel(splitter_name="practiceCompareSplitter")
        self.rating_bar = RatingBar()
        self.retry_button = QPushButton("Retry grading")
        self.retry_button.setObjectName("retryGradingButton")
        self.undo_button = QPushButton("Undo last review")
        self.undo_button.setObjectName("undoReviewButton")
        result_actions = QHBoxLayout()
        result_actions.addWidget(self.undo_button)
        result_actions.addStretch(1)
        result_actions.addWidget(self.retry_button)
        result_page = QWidget()
        result_layout = QVBoxLayout(result_page)
        result_layout.setContentsMargins(0, 0, 0, 0)
        self.result_scroll = QScrollArea()
        self.result_scroll.setObjectName("resultScroll")
        self.result_scroll.setWidgetResizable(True)
        self.result_scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.result_scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.result_scroll.setWidget(self.result_panel)
        result_layout.addWidget(self.result_scroll, 1)
        result_layout.addLayout(result_actions)
        result_layout.addWidget(self.rating_bar)
        self.lower_stack = QStackedWidget()
        self.lower_stack.addWidget(self.answer_pane)
        self.lower_stack.addWidget(result_page)
        self.result_page = result_page

        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.setObjectName("practiceSplitter")
        self.splitter.addWidget(self.question)
        self.splitter.addWidget(self.lower_stack)
        self.splitter.setStretchFactor(0, 2)
        self.splitter.setStretchFactor(1, 3)
        self.splitter.setChildrenCollapsible(False)
        session = QWidget()
        session_layout = QVBoxLayout(session)
        session_layout.setContentsMargins(0, 0, 0, 0)
        session_layout.addLayout(header)
        session_layout.addWidget(self.splitter, 1)
        self.session_page = session

        self.empty_page = MessagePage("Nothing to practise", "Start review", "startReviewButton")
        self.finished_page = MessagePage("Session finished", "Back to Home", "backHomeButton")
        self.pages = QStackedWidget()
        for page in (self.empty_page, self.session_page, self.finished_page):
            self.pages.addWidget(page)
        deck_row = QHBoxLayout()
        deck_row.addStretch(1)
        deck_label = QLabel("&Deck")
        deck_label.setBuddy(self.deck_choice)
        deck_row.addWidget(deck_label)
        deck_row.addWidget(self.deck_choice)
        layout = QVBoxLayout(self)
        layout.addLayout(deck_row)
        layout.addWidget(self.pages, 1)

    def warm_up(self) -> None:
        """Fills the result widgets once with a sample grade, hidden, so the Python types and
        styles they need are built now rather than while the first real result appears."""
        sample = Grade(
            GradeStatus.GRADED,
            0.5,
            (KeyPointVerdict("sample", Verdict.COVERED), KeyPointVerdict("b", Verdict.MISSING)),
            "sample",
        )
        self.result_panel.show_grade(
            sample, reference="`x`", reference_html="", answer="x", dark=False
        )
        self.rating_bar.set_suggestion(Rating.GOOD, "sample", {Rating.GOOD: "in 1 d"})
        self.result_page.ensurePolished()
        self.answer_pane.grading_box.ensurePolished()
        self.answer_pane.append_feedback("")

    def show_empty(self, text: str) -> None:
        self.empty_page.text.setText(text)
        self.pages.setCurrentWidget(self.empty_page)

    def show_finished(self, text: str) -> None:
        self.finished_page.text.setText(text)
        self.pages.setCurrentWidget(self.finished_page)
        self.finished_page.button.setFocus()

    def show_answering(self) -> None:
        self.pages.setCurrentWidget(self.session_page)
        self.lower_stack.setCurrentWidget(self.answer_pane)

    def show_result(self) -> None:
        self.pages.setCurrentWidget(self.session_page)
        self.lower_stack.setCurrentWidget(self.result_page)

    def show_question(self, shown: ShownQuestion, progress: str, draft: str) -> None:
        question = shown.item.question
        self.question.set_rendered(question.prompt, shown.prompt_html, dark=shown.dark)
        self.topic_label.setText(" · ".join(p for p in (question.topic, question.kind) if p))
        self.progress_label.setText(progress)
        self.answer_pane.reset(draft)
        self.show_answering()
        self.answer_pane.editor.setFocus()

    def show_pending(self, pending: PendingAnswer, shown: ShownQuestion, note: str) -> None:
        """The grade (or the request to rate oneself) and the rating buttons."""
        question = pending.item.question
        panel = self.result_panel
        if pending.grade is None:
            panel.show_without_grade(
                reference=question.reference,
                reference_html=shown.reference_html,
                answer=pending.answer,
                key_points=question.key_points,
                note=note,
                dark=shown.dark,
            )
        else:
            panel.show_grade(
                pending.grade,
                reference=question.reference,
                reference_html=shown.reference_html,
                answer=pending.answer,
                dark=shown.dark,
            )
        graded = pending.grade is not None and pending.grade.is_graded
        self.retry_button.setVisible(pending.grade is not None and not graded)
        previews = preview_texts(pending.next_due, datetime.now(UTC))
        suggestion = pending.suggestion
        self.rating_bar.set_suggestion(suggestion.rating, suggestion.reason, previews)
        self.result_scroll.verticalScrollBar().setValue(0)  # each result starts at its score
        self.show_result()
