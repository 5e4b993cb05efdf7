"""The answer editor: comfortable for prose and for code, as a code editor is.

Tab inserts spaces (to the next multiple of four); with several lines selected, Tab indents
them all and Shift+Tab removes up to four spaces from each (without a selection, from the
current line); Enter keeps the line's indentation; Ctrl+Tab leaves the editor; Ctrl+Enter asks
to submit; a monospace toggle switches the font for code. Ctrl+Z undoes typing while there is
typing to undo, and otherwise is left to the window (where it undoes the last review).

With `max_chars`, the text never grows past that many characters: typing into a full editor
is refused, a paste keeps what fits, and `limit_reached` says so each time.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from PySide6.QtCore import QEvent, QMimeData, Qt, Signal
from PySide6.QtGui import QFontDatabase, QKeyEvent, QKeySequence, QTextCursor
from PySide6.QtWidgets import QPlainTextEdit, QWidget

TAB_WIDTH = 4
_WORD = re.compile(r"\S+")


def count_words(text: str) -> int:
    return len(_WORD.findall(text))


def _utf16_length(text: str) -> int:
    """Qt counts positions in UTF-16 code units; Python strings count code points."""
    return len(text.encode("utf-16-le")) // 2


class AnswerEditor(QPlainTextEdit):
    word_count_changed = Signal(int)
    monospace_changed = Signal(bool)
    limit_reached = Signal(int)  # the limit, in characters: some input was not taken

    def __init__(self, parent: QWidget | None = None, *, max_chars: int | None = None) -> None:
        super().__init__(parent)
        self.max_chars = max_chars
        self.setObjectName("answerEditor")
        self.setPlaceholderText("Type your answer. Ctrl+Enter submits.")
        self._monospace_family = QFontDatabase.systemFont(
            QFontDatabase.SystemFont.FixedFont
        ).family()
        self._is_monospace = False
        self.textChanged.connect(self._on_text_changed)

    @property
    def is_monospace(self) -> bool:
        return self._is_monospace

    def set_monospace(self, enabled: bool) -> None:
        """A fixed-width font for code. Set as this editor's own style, so it outlives the app's
        stylesheet being applied again (a change of theme), which resets fonts set in code."""
        self._is_monospace = enabled
        family = self._monospace_family.replace('"', "")
        self.setStyleSheet(f'QPlainTextEdit {{ font-family: "{family}"; }}' if enabled else "")
        self.ensurePolished()  # the font now, not at the next show
        self._fit_tab_stops()
        self.monospace_changed.emit(enabled)

    def _fit_tab_stops(self) -> None:
        self.setTabStopDistance(self.fontMetrics().horizontalAdvance(" ") * TAB_WIDTH)

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:
            self._fit_tab_stops()

    def toggle_monospace(self) -> None:
        self.set_monospace(not self._is_monospace)

    def word_count(self) -> int:
        return count_words(self.toPlainText())

    def event(self, event: QEvent) -> bool:
        # Nothing typed to undo: Ctrl+Z is not the editor's, the window's shortcut gets it.
        if (
            event.type() == QEvent.Type.ShortcutOverride
            and isinstance(event, QKeyEvent)
            and event.matches(QKeySequence.StandardKey.Undo)
            and not self.document().isUndoAvailable()
        ):
            event.ignore()
            return False
        return super().event(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        modifiers = event.modifiers()
        ctrl = bool(modifiers & Qt.KeyboardModifier.ControlModifier)
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and ctrl:
            return  # submits, through the screen's shortcut; never a new line
        if key == Qt.Key.Key_Tab and ctrl:
            self.focusNextChild()
            return
        if key == Qt.Key.Key_Backtab and ctrl:
            self.focusPreviousChild()
            return
        if self.is_full() and _types_text(event):
            self._tell_limit()
            return
        if key == Qt.Key.Key_Tab and not modifiers:
            if self._selects_lines():
                self._indent_lines()
            else:
                self._insert_indent()
            return
        if key == Qt.Key.Key_Backtab:
            self._dedent_lines()
            return
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and not modifiers:
            self._new_line_keeping_indent()
            return
        super().keyPressEvent(event)

    def room_left(self) -> int | None:
        """Characters that can still be added (what is selected would be replaced)."""
        if self.max_chars is None:
            return None
        replaced = len(self.textCursor().selectedText())
        return max(0, self.max_chars - len(self.toPlainText()) + replaced)

    def is_full(self) -> bool:
        return self.room_left() == 0

    def _tell_limit(self) -> None:
        if self.max_chars is not None:
            self.limit_reached.emit(self.max_chars)

    def insertFromMimeData(self, source: QMimeData) -> None:
        """A paste (or a drop) keeps as much as fits."""
        room = self.room_left()
        if room is None or not source.hasText() or len(source.text()) <= room:
            super().insertFromMimeData(source)
            return
        self.textCursor().insertText(source.text()[:room])
        self.ensureCursorVisible()
        self._tell_limit()

    def _trim_to_limit(self) -> None:
        """Anything else that went past the limit (text set from outside) loses its end."""
        if self.max_chars is None or self.document().characterCount() - 1 <= self.max_chars:
            return  # (Qt's count, in UTF-16 units, is never below Python's)
        text = self.toPlainText()
        if len(text) <= self.max_chars:
            return
        end = QTextCursor(self.document())
        end.setPosition(_utf16_length(text[: self.max_chars]))
        end.movePosition(QTextCursor.MoveOperation.End, QTextCursor.MoveMode.KeepAnchor)
        end.removeSelectedText()
        self._tell_limit()

    def _selects_lines(self) -> bool:
        cursor = self.textCursor()
        if not cursor.hasSelection():
            return False
        document = self.document()
        first = document.findBlock(cursor.selectionStart())
        last = document.findBlock(cursor.selectionEnd())
        return first != last

    def _selected_blocks(self) -> tuple[int, int]:
        """The first and last line numbers the selection (or the cursor) touches; a selection
        that ends at the start of a line does not take that line."""
        cursor = self.textCursor()
        document = self.document()
        start, end = cursor.selectionStart(), cursor.selectionEnd()
        last = document.findBlock(end)
        if cursor.hasSelection() and end == last.position() and end > start:
            last = last.previous()
        return document.findBlock(start).blockNumber(), last.blockNumber()

    def _edit_lines(self, change: Callable[[QTextCursor, str], None]) -> None:
        """Applies `change` to each selected line as one undo step, keeping them selected."""
        first, last = self._selected_blocks()
        document = self.document()
        cursor = self.textCursor()
        cursor.beginEditBlock()
        for number in range(first, last + 1):
            block = document.findBlockByNumber(number)
            line = QTextCursor(block)
            change(line, block.text())
        cursor.endEditBlock()
        if self._selects_lines() or first != last:
            start = document.findBlockByNumber(first).position()
            end_block = document.findBlockByNumber(last)
            selection = QTextCursor(document)
            selection.setPosition(start)
            selection.setPosition(
                end_block.position() + end_block.length() - 1, QTextCursor.MoveMode.KeepAnchor
            )
            self.setTextCursor(selection)

    def _indent_lines(self) -> None:
        self._edit_lines(lambda line, _text: line.insertText(" " * TAB_WIDTH))

    def _dedent_lines(self) -> None:
        def dedent(line: QTextCursor, text: str) -> None:
            spaces = min(len(text) - len(text.lstrip(" ")), TAB_WIDTH)
            if spaces:
                line.movePosition(
                    QTextCursor.MoveOperation.Right, QTextCursor.MoveMode.KeepAnchor, spaces
                )
                line.removeSelectedText()

        self._edit_lines(dedent)

    def _insert_indent(self) -> None:
        cursor = self.textCursor()
        column = cursor.positionInBlock()
        cursor.insertText(" " * (TAB_WIDTH - column % TAB_WIDTH))

    def _new_line_keeping_indent(self) -> None:
        cursor = self.textCursor()
        line = cursor.block().text()[: cursor.positionInBlock()]
        indent = line[: len(line) - len(line.lstrip(" \t"))]
        cursor.insertText("\n" + indent)
        self.ensureCursorVisible()

    def _on_text_changed(self) -> None:
        self._trim_to_limit()
        self.word_count_changed.emit(self.word_count())


def _types_text(event: QKeyEvent) -> bool:
    """The key adds text to the editor (a character, Tab, Enter), not a command."""
    if event.modifiers() & Qt.KeyboardModifier.ControlModifier:
        return False
    text = event.text()
    return bool(text) and (text.isprintable() or text in ("\t", "\r", "\n"))
