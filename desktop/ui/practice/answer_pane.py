"""Where the learner writes: the answer editor, its monospace toggle and word count, the
submit button, and the grading progress with the feedback streaming in. An answer is kept up
to `STORED_ANSWER_CHARS`; the editor takes no more, and a note says so when it refused some."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop.core.grading.grades import (
    CHECKED_ANSWER_CHARS,
    STORED_ANSWER_CHARS,
    FirstLook,
    PointJudged,
)
from desktop.ui import shortcuts
from desktop.ui.answer_editor import AnswerEditor

FEEDBACK_FLUSH_MS = 150
LIMIT_NOTE = (
    f"Answers are kept up to {STORED_ANSWER_CHARS:,} characters (the grader reads the first "
    f"{CHECKED_ANSWER_CHARS:,}); what went past that was not added."
)


class AnswerPane(QWidget):
    def __init__(self, parent: QWidget | None = None, *, self_rating: bool = True) -> None:
        super().__init__(parent)
        self.editor = AnswerEditor(max_chars=STORED_ANSWER_CHARS)
        self.limit_note = QLabel(LIMIT_NOTE)
        self.limit_note.setObjectName("answerLimitNote")
        self.limit_note.setProperty("role", "warning")
        self.limit_note.setWordWrap(True)
        self.limit_note.setVisible(False)
        self.editor.limit_reached.connect(lambda _limit: self.limit_note.setVisible(True))
        self.monospace = QCheckBox("Monospace")
        self.monospace.setObjectName("monospaceToggle")
        self.monospace.setToolTip(f"For code ({shortcuts.MONOSPACE.keys})")
        self.monospace.toggled.connect(self.editor.set_monospace)
        self.editor.monospace_changed.connect(self.monospace.setChecked)
        self.word_count = QLabel("0 words")
        self.word_count.setObjectName("wordCount")
        self.word_count.setProperty("role", "muted")
        self.editor.word_count_changed.connect(self._on_word_count_changed)
        self.self_rate_button = QPushButton("Rate myself")
        self.self_rate_button.setObjectName("selfRateButton")
        self.self_rate_button.setToolTip(f"Skip grading ({shortcuts.SELF_RATE.keys})")
        self.self_rate_button.setVisible(self_rating)
        self.submit_button = QPushButton("Submit")
        self.submit_button.setObjectName("submitButton")
        self.submit_button.setProperty("primary", True)
        self.submit_button.setToolTip(shortcuts.SUBMIT.keys)
        controls = QHBoxLayout()
        controls.addWidget(self.monospace)
        controls.addWidget(self.word_count)
        controls.addStretch(1)
        controls.addWidget(self.self_rate_button)
        controls.addWidget(self.submit_button)

        self.progress = QProgressBar()
        self.progress.setObjectName("gradingProgress")
        self.progress.setRange(0, 0)  # busy: a grade's length is not known in advance
        self.progress.setTextVisible(False)
        self.progress.setMaximumHeight(6)
        self.grading_label = QLabel("Grading…")
        self.grading_label.setObjectName("gradingStatus")
        # The score as it firms up: word matching first, then the model's verdicts.
        self.score_label = QLabel("")
        self.score_label.setObjectName("provisionalScore")
        self.score_label.setWordWrap(True)
        # A fixed-size text box, not a label: a label that grows with each streamed token
        # would re-lay out the whole window every time.
        self.streamed = QPlainTextEdit()
        self.streamed.setObjectName("streamedFeedback")
        self.streamed.setReadOnly(True)
        self.streamed.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.streamed.setFixedHeight(self.streamed.fontMetrics().lineSpacing() * 3 + 12)
        self.streamed.setPlaceholderText("The grader's feedback appears here as it is written…")
        self._pending_feedback: list[str] = []
        self._points = 0
        self._flush = QTimer(self)
        self._flush.setSingleShot(True)
        self._flush.setInterval(FEEDBACK_FLUSH_MS)
        self._flush.timeout.connect(self._on_flush_timeout)
        self.cancel_button = QPushButton("Cancel grading (Esc)")
        self.cancel_button.setObjectName("cancelGradingButton")
        grading_row = QHBoxLayout()
        grading_row.addWidget(self.grading_label)
        grading_row.addStretch(1)
        grading_row.addWidget(self.cancel_button)
        self.grading_box = QWidget()
        grading_layout = QVBoxLayout(self.grading_box)
        grading_layout.setContentsMargins(0, 0, 0, 0)
        grading_layout.addWidget(self.progress)
        grading_layout.addLayout(grading_row)
        grading_layout.addWidget(self.score_label)
        grading_layout.addWidget(self.streamed)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.editor, 1)
        layout.addWidget(self.limit_note)
        layout.addLayout(controls)
        layout.addWidget(self.grading_box)
        self.set_grading(False)

    def set_grading(self, grading: bool) -> None:
        """While a grade runs the answer is frozen; the progress and Cancel show instead."""
        self.editor.setReadOnly(grading)
        self.submit_button.setEnabled(not grading)
        self.self_rate_button.setEnabled(not grading)
        self.grading_box.setVisible(grading)
        if grading:
            self._pending_feedback.clear()
            self.streamed.clear()
            self.score_label.setText("")
            self.grading_label.setText("Grading…")

    def show_first_look(self, first: FirstLook) -> None:
        self._points = len(first.key_points)
        self.score_label.setText(
            f"First look (word matching): {first.score:.0%} — the grader is now checking "
            f"each of the {self._points} key points…"
        )

    def show_point_judged(self, judged: PointJudged) -> None:
        total = max(self._points, judged.index + 1)
        if judged.index + 1 == total:
            self.score_label.setText(
                f"Score {judged.score:.0%} — the model checked every key point; its feedback "
                "follows…"
            )
            return
        self.score_label.setText(
            f"{judged.score:.0%} so far — the model has checked {judged.index + 1} of {total} "
            "key points; the rest still count by word matching."
        )

    def append_feedback(self, text: str) -> None:
        """Tokens arrive many times a second; they are shown a few times a second."""
        self._pending_feedback.append(text)
        if not self._flush.isActive():
            self._flush.start()

    def _on_flush_timeout(self) -> None:
        cursor = self.streamed.textCursor()
        cursor.movePosition(QTextCursor.MoveOperation.End)
        cursor.insertText("".join(self._pending_feedback))
        self._pending_feedback.clear()
        self.streamed.setTextCursor(cursor)
        self.streamed.ensureCursorVisible()

    def reset(self, answer: str = "") -> None:
        self.editor.setPlainText(answer)
        self.set_grading(False)
        self.editor.setFocus()

    def _on_word_count_changed(self, count: int) -> None:
        self.word_count.setText(f"{count} word" + ("" if count == 1 else "s"))
        if not self.limit_note.isHidden() and not self.editor.is_full():
            self.limit_note.setVisible(False)  # there is room again
