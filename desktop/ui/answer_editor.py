"""The answer editor: comfortable for prose and for code.

Tab inserts spaces (to the next multiple of four), Shift+Tab removes up to four, Ctrl+Tab leaves
the editor, Ctrl+Enter asks to submit, and a monospace toggle switches the font for code.
"""

from __future__ import annotations

import re

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont, QFontDatabase, QKeyEvent, QTextCursor
from PySide6.QtWidgets import QPlainTextEdit, QWidget

TAB_WIDTH = 4
_WORD = re.compile(r"\S+")


def count_words(text: str) -> int:
    return len(_WORD.findall(text))


class AnswerEditor(QPlainTextEdit):
    submit_requested = Signal()
    word_count_changed = Signal(int)
    monospace_changed = Signal(bool)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("answerEditor")
        self.setPlaceholderText("Type your answer. Ctrl+Enter submits.")
        self._proportional = QFont(self.font())
        self._monospace = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        self._monospace.setPointSizeF(max(self._proportional.pointSizeF(), 10.0))
        self._is_monospace = False
        self.textChanged.connect(self._on_text_changed)

    @property
    def is_monospace(self) -> bool:
        return self._is_monospace

    def set_monospace(self, enabled: bool) -> None:
        self._is_monospace = enabled
        self.setFont(self._monospace if enabled else self._proportional)
        self.setTabStopDistance(self.fontMetrics().horizontalAdvance(" ") * TAB_WIDTH)
        self.monospace_changed.emit(enabled)

    def toggle_monospace(self) -> None:
        self.set_monospace(not self._is_monospace)

    def word_count(self) -> int:
        return count_words(self.toPlainText())

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        modifiers = event.modifiers()
        ctrl = bool(modifiers & Qt.KeyboardModifier.ControlModifier)
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and ctrl:
            self.submit_requested.emit()
            return
        if key == Qt.Key.Key_Tab and ctrl:
            self.focusNextChild()
            return
        if key == Qt.Key.Key_Backtab and ctrl:
            self.focusPreviousChild()
            return
        if key == Qt.Key.Key_Tab and not modifiers:
            self._insert_indent()
            return
        if key == Qt.Key.Key_Backtab:
            self._remove_indent()
            return
        super().keyPressEvent(event)

    def _insert_indent(self) -> None:
        cursor = self.textCursor()
        column = cursor.positionInBlock()
        cursor.insertText(" " * (TAB_WIDTH - column % TAB_WIDTH))

    def _remove_indent(self) -> None:
        cursor = self.textCursor()
        cursor.movePosition(QTextCursor.MoveOperation.StartOfBlock)
        line = cursor.block().text()
        spaces = len(line) - len(line.lstrip(" "))
        for _ in range(min(spaces, TAB_WIDTH)):
            cursor.deleteChar()

    def _on_text_changed(self) -> None:
        self.word_count_changed.emit(self.word_count())
