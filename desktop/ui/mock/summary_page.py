"""The end of a mock interview: score and time per question, the key points missed, the
reference now revealed beside each answer, and the ratings to apply (the learner may change
them, and must give one where an answer could not be graded)."""

from __future__ import annotations

import html

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from desktop.core.mock.answers import MockQuestionSummary, MockSummary
from desktop.core.review.cards import Rating
from desktop.ui.bank.table_model import one_line
from desktop.ui.clock import format_seconds
from desktop.ui.markdown_view import MarkdownView, plain_text_html
from desktop.ui.screen import muted_label, title_label

COLUMNS = ("Question", "Score", "Time", "Missed key points", "Rating")
RATING_COLUMN = COLUMNS.index("Rating")
NO_RATING = "rate it…"


def score_text(item: MockQuestionSummary) -> str:
    if item.answer is None:
        return "not answered"
    return "ungraded" if item.score is None else f"{item.score:.0%}"


def _grade_html(item: MockQuestionSummary) -> str:
    """The feedback, or why there is no score (the learner then rates the answer)."""
    grade = item.answer.grade if item.answer else None
    if grade is None:
        return "<p><i>Not graded: rate this answer yourself.</i></p>" if item.answer else ""
    if not grade.is_graded:
        reason = html.escape(grade.reason or "no reason given")
        return f"<p><i>Ungraded ({reason}): rate this answer yourself.</i></p>"
    return f"<p><b>Feedback:</b> {html.escape(grade.feedback)}</p>" if grade.feedback else ""


class MockSummaryPage(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.totals = QLabel()
        self.totals.setObjectName("mockTotals")
        self.totals.setProperty("role", "section")
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setObjectName("mockSummaryTable")
        self.table.setHorizontalHeaderLabels(list(COLUMNS))
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(RATING_COLUMN, QHeaderView.ResizeMode.ResizeToContents)
        for column in (1, 2):  # score and time: as wide as what they hold ("1:00 (time up)")
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        self.reference = MarkdownView()
        self.reference.setObjectName("mockReference")
        self.answer = QTextBrowser()
        self.answer.setObjectName("mockAnswer")
        compare = QSplitter(Qt.Orientation.Horizontal)
        compare.setObjectName("mockCompareSplitter")
        for title, widget in (("Reference answer", self.reference), ("Your answer", self.answer)):
            box = QWidget()
            box_layout = QVBoxLayout(box)
            box_layout.setContentsMargins(0, 0, 0, 0)
            box_layout.addWidget(QLabel(title))
            box_layout.addWidget(widget)
            compare.addWidget(box)
        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.setObjectName("mockSummarySplitter")
        self.splitter.addWidget(self.table)
        self.splitter.addWidget(compare)
        self.counts = QCheckBox("Apply these ratings to my review schedule")
        self.counts.setObjectName("mockSummaryCounts")
        self.finish_button = QPushButton("Finish and record")
        self.finish_button.setObjectName("finishMockButton")
        self.finish_button.setProperty("primary", True)
        self.new_button = QPushButton("New interview")
        self.new_button.setObjectName("newMockButton")
        self.message = muted_label()
        self.message.setObjectName("mockSummaryMessage")
        buttons = QHBoxLayout()
        buttons.addWidget(self.counts)
        buttons.addStretch(1)
        buttons.addWidget(self.new_button)
        buttons.addWidget(self.finish_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(title_label("Interview summary"))
        layout.addWidget(self.totals)
        layout.addWidget(self.splitter, 1)
        layout.addWidget(self.message)
        layout.addLayout(buttons)
        self.summary: MockSummary | None = None
        self.table.currentCellChanged.connect(lambda row, _c, _r, _p: self._show_row(row))

    def show_summary(self, summary: MockSummary) -> None:
        self.summary = summary
        average = summary.average_score
        self.totals.setText(
            f"Average score {'—' if average is None else f'{average:.0%}'} · "
            f"time used {format_seconds(summary.time_used_ms / 1000)}"
        )
        self.table.setRowCount(len(summary.questions))
        for row, item in enumerate(summary.questions):
            used = format_seconds(item.answer.time_used_ms / 1000) if item.answer else "—"
            if item.answer is not None and item.answer.timed_out:
                used += " (time up)"
            values = (
                one_line(item.question.prompt, 90),
                score_text(item),
                used,
                "; ".join(item.missed_key_points) or "—",
            )
            for column, value in enumerate(values):
                cell = QTableWidgetItem(value)
                cell.setToolTip(value)
                self.table.setItem(row, column, cell)
            self.table.setCellWidget(row, RATING_COLUMN, self._rating_choice(item, summary))
        self.counts.setChecked(summary.counts_toward_schedule)
        self.counts.setEnabled(not summary.finished)
        self.finish_button.setEnabled(not summary.finished)
        if summary.questions:
            self.table.setCurrentCell(0, 0)
            self._show_row(0)

    def _rating_choice(self, item: MockQuestionSummary, summary: MockSummary) -> QComboBox:
        combo = QComboBox()
        combo.addItem(NO_RATING, None)
        for rating in Rating:
            label = f"{int(rating)} {rating.label.capitalize()}"
            if rating is item.suggested_rating and not summary.finished:
                label += " (suggested)"  # what finishing records unless another is chosen
            combo.addItem(label, rating)
        if item.rating is not None:
            combo.setCurrentIndex(int(item.rating))
        combo.setEnabled(not summary.finished and item.answer is not None)
        return combo

    def ratings(self) -> dict[int, Rating]:
        """The rating chosen for each answered question, by question id."""
        chosen: dict[int, Rating] = {}
        if self.summary is None:
            return chosen
        for row, item in enumerate(self.summary.questions):
            combo = self.table.cellWidget(row, RATING_COLUMN)
            if isinstance(combo, QComboBox) and isinstance(combo.currentData(), Rating):
                chosen[item.question.id] = combo.currentData()
        return chosen

    def _show_row(self, row: int) -> None:
        if self.summary is None or not 0 <= row < len(self.summary.questions):
            return
        item = self.summary.questions[row]
        self.reference.set_markdown(f"{item.question.prompt}\n\n---\n\n{item.question.reference}")
        text = item.answer.text if item.answer else "(not answered)"
        self.answer.setHtml(plain_text_html(text or "(no answer)") + _grade_html(item))
