"""A grade, shown honestly: the score and each key point's verdict, the feedback, and the
reference answer beside the learner's own. An ungraded answer says so, with the reason."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QLabel,
    QListWidget,
    QListWidgetItem,
    QSplitter,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from desktop.core.grading.grades import Grade, Verdict
from desktop.ui.markdown_view import MarkdownView, plain_text_html

VERDICT_SYMBOLS = {Verdict.COVERED: "✔", Verdict.PARTIAL: "◐", Verdict.MISSING: "✘"}
VERDICT_COLOURS = {
    Verdict.COVERED: ("#1a7f37", "#56d364"),
    Verdict.PARTIAL: ("#9a6700", "#e3b341"),
    Verdict.MISSING: ("#cf222e", "#ff7b72"),
}


def score_text(grade: Grade) -> str:
    if grade.is_graded and grade.score is not None:
        return f"Score {grade.score:.0%}"
    return "Ungraded — retry / rate yourself"


def score_level(score: float | None) -> str:
    """For the colour of the score: low, middle or high (empty when ungraded)."""
    if score is None:
        return ""
    return "low" if score < 0.4 else "middle" if score < 0.7 else "high"


MIN_KEY_POINTS_HEIGHT = 72
MIN_COMPARE_HEIGHT = 180


def _section(text: str) -> QLabel:
    label = QLabel(text)
    label.setProperty("role", "section")
    return label


def grader_line(grade: Grade) -> str:
    """Who graded the answer and how long grading took, when that is known (a grade brought
    back by undo kept its verdicts, not its timing)."""
    by = f"Graded by {grade.model}" if grade.model else "No model"
    if grade.elapsed_ms <= 0:
        return by
    return f"{by} · graded in {grade.elapsed_ms / 1000:.1f} s"


class ResultPanel(QWidget):
    def __init__(self, parent: QWidget | None = None, *, splitter_name: str = "") -> None:
        super().__init__(parent)
        self.score_label = QLabel()
        self.score_label.setObjectName("scoreLabel")
        self.score_label.setProperty("role", "score")
        self.reason_label = QLabel()
        self.reason_label.setObjectName("gradeReason")
        self.reason_label.setWordWrap(True)
        self.reason_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.model_label = QLabel()
        self.model_label.setProperty("role", "muted")
        self.key_points = QListWidget()
        self.key_points.setObjectName("keyPointVerdicts")
        self.key_points.setWordWrap(True)
        self.feedback = QLabel()
        self.feedback.setObjectName("gradeFeedback")
        self.feedback.setWordWrap(True)
        self.feedback.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.reference = MarkdownView()
        self.reference.setObjectName("referenceAnswer")
        self.answer = QTextBrowser()
        self.answer.setObjectName("learnerAnswer")
        self.compare = QSplitter(Qt.Orientation.Horizontal)
        self.compare.setObjectName(splitter_name or "resultCompareSplitter")
        self.compare.addWidget(self._titled("Reference answer", self.reference))
        self.compare.addWidget(self._titled("Your answer", self.answer))
        self.compare.setChildrenCollapsible(False)
        # Room enough to read in a small window: the result scrolls rather than squeeze these.
        self.key_points.setMinimumHeight(MIN_KEY_POINTS_HEIGHT)
        self.compare.setMinimumHeight(MIN_COMPARE_HEIGHT)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.score_label)
        layout.addWidget(self.reason_label)
        layout.addWidget(self.model_label)
        layout.addWidget(_section("Key points"))
        layout.addWidget(self.key_points, 1)
        layout.addWidget(_section("Feedback"))
        layout.addWidget(self.feedback)
        layout.addWidget(self.compare, 2)

    @staticmethod
    def _titled(title: str, body: QWidget) -> QWidget:
        box = QWidget()
        layout = QVBoxLayout(box)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(_section(title))
        layout.addWidget(body)
        return box

    def _show_compare(self, reference: str, reference_html: str, answer: str, dark: bool) -> None:
        # The two documents are laid out on the next turn of the event loop, so showing a
        # result never takes one long step.
        def fill() -> None:
            self.reference.set_rendered(reference, reference_html, dark=dark)
            self.answer.setHtml(plain_text_html(answer or "(no answer)"))

        self.reference.clear()
        self.answer.clear()
        QTimer.singleShot(0, fill)

    def show_grade(
        self, grade: Grade, *, reference: str, reference_html: str, answer: str, dark: bool
    ) -> None:
        self.score_label.setText(score_text(grade))
        self.score_label.setProperty("graded", grade.is_graded)
        self.score_label.setProperty("level", score_level(grade.score))
        self.style().polish(self.score_label)
        lines = ([f"Why: {grade.reason}"] if grade.reason else []) + list(grade.notes)
        self.reason_label.setText("\n".join(lines))
        self.reason_label.setVisible(bool(lines))
        self.model_label.setText(grader_line(grade))
        self.key_points.clear()
        for point in grade.key_points:
            item = QListWidgetItem(
                f"{VERDICT_SYMBOLS[point.verdict]}  {point.verdict.value}: {point.text}"
            )
            item.setData(Qt.ItemDataRole.UserRole, point.verdict.value)
            item.setForeground(QBrush(QColor(VERDICT_COLOURS[point.verdict][1 if dark else 0])))
            if point.evidence:
                item.setToolTip(f"Your words: “{point.evidence}”")
            self.key_points.addItem(item)
        self.key_points.setVisible(bool(grade.key_points))
        self.feedback.setText(grade.feedback or "—")
        self._show_compare(reference, reference_html, answer, dark)

    def show_without_grade(
        self,
        *,
        reference: str,
        reference_html: str,
        answer: str,
        key_points: tuple[str, ...],
        note: str,
        dark: bool,
    ) -> None:
        """No grade (no model, or the learner chose to rate themselves): the reference and
        the key points to compare against, and no score."""
        self.score_label.setText("Rate yourself")
        self.score_label.setProperty("graded", False)
        self.score_label.setProperty("level", "")
        self.style().polish(self.score_label)
        self.reason_label.setText(note)
        self.reason_label.setVisible(bool(note))
        self.model_label.setText("Not graded")
        self.key_points.clear()
        for point in key_points:
            item = QListWidgetItem(f"•  {point}")
            item.setData(Qt.ItemDataRole.UserRole, "")
            self.key_points.addItem(item)
        self.key_points.setVisible(bool(key_points))
        self.feedback.setText("Compare your answer with the reference, then rate your recall.")
        self._show_compare(reference, reference_html, answer, dark)

    def verdicts(self) -> list[tuple[str, str]]:
        """(verdict, key point) for each row, as shown."""
        rows = []
        for index in range(self.key_points.count()):
            item = self.key_points.item(index)
            text = item.text().split(": ", 1)[-1]
            rows.append((str(item.data(Qt.ItemDataRole.UserRole)), text))
        return rows
