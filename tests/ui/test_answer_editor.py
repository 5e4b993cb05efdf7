"""The answer editor: Tab indents with spaces (every selected line), Shift+Tab takes them back,
Enter keeps the indentation, Ctrl+Z undoes typing only, Ctrl+Enter asks to submit, the
monospace toggle, and the word count."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent, QTextCursor
from pytestqt.qtbot import QtBot

from desktop.ui.answer_editor import AnswerEditor, count_words


def test_tab_inserts_spaces_and_shift_tab_removes_them(qtbot: QtBot) -> None:
    editor = AnswerEditor()
    qtbot.addWidget(editor)
    qtbot.keyClicks(editor, "def f():")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.keyClick(editor, Qt.Key.Key_Tab)
    qtbot.keyClicks(editor, "return 1")
    assert editor.toPlainText() == "def f():\n    return 1"
    qtbot.keyClick(editor, Qt.Key.Key_Backtab, Qt.KeyboardModifier.ShiftModifier)
    assert editor.toPlainText() == "def f():\nreturn 1"
    qtbot.keyClicks(editor, "ab")
    qtbot.keyClick(editor, Qt.Key.Key_Tab)  # to the next multiple of four
    assert editor.toPlainText().endswith("return 1ab  ")


def test_ctrl_enter_asks_to_submit_instead_of_a_new_line(qtbot: QtBot) -> None:
    editor = AnswerEditor()
    qtbot.addWidget(editor)
    qtbot.keyClicks(editor, "answer")
    with qtbot.waitSignal(editor.submit_requested):
        qtbot.keyClick(editor, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert editor.toPlainText() == "answer"


def test_monospace_toggle_and_word_count(qtbot: QtBot) -> None:
    editor = AnswerEditor()
    qtbot.addWidget(editor)
    counts: list[int] = []
    editor.word_count_changed.connect(counts.append)
    qtbot.keyClicks(editor, "two words")
    assert counts[-1] == 2
    proportional = editor.font().family()
    editor.toggle_monospace()
    assert editor.is_monospace
    assert editor.font().fixedPitch() or editor.font().family() != proportional
    editor.toggle_monospace()
    assert editor.font().family() == proportional
    assert count_words("  a\tb\n\nc  ") == 3


CODE = "def f(x):\n    y = x + 1\n    return y"


def _select_lines(editor: AnswerEditor, qtbot: QtBot, first: int, last: int) -> None:
    editor.moveCursor(QTextCursor.MoveOperation.Start)
    for _ in range(first):
        qtbot.keyClick(editor, Qt.Key.Key_Down)
    qtbot.keyClick(editor, Qt.Key.Key_Home)
    for _ in range(last - first):
        qtbot.keyClick(editor, Qt.Key.Key_Down, Qt.KeyboardModifier.ShiftModifier)
    qtbot.keyClick(editor, Qt.Key.Key_End, Qt.KeyboardModifier.ShiftModifier)


def test_tab_and_shift_tab_indent_and_dedent_the_selected_lines(qtbot: QtBot) -> None:
    editor = AnswerEditor()
    qtbot.addWidget(editor)
    editor.setPlainText(CODE)
    _select_lines(editor, qtbot, 0, 2)
    qtbot.keyClick(editor, Qt.Key.Key_Tab)
    assert editor.toPlainText() == "    def f(x):\n        y = x + 1\n        return y"
    assert editor.textCursor().selectedText().count("\u2029") == 2  # still all three selected
    qtbot.keyClick(editor, Qt.Key.Key_Backtab, Qt.KeyboardModifier.ShiftModifier)
    qtbot.keyClick(editor, Qt.Key.Key_Backtab, Qt.KeyboardModifier.ShiftModifier)
    assert editor.toPlainText() == "def f(x):\ny = x + 1\nreturn y"
    qtbot.keyClick(editor, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert editor.toPlainText() == CODE  # one Ctrl+Z takes back one whole Shift+Tab


def test_enter_keeps_the_indentation(qtbot: QtBot) -> None:
    editor = AnswerEditor()
    qtbot.addWidget(editor)
    qtbot.keyClicks(editor, "for x in xs:")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.keyClick(editor, Qt.Key.Key_Tab)
    qtbot.keyClicks(editor, "total += x")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.keyClicks(editor, "count += 1")
    assert editor.toPlainText() == "for x in xs:\n    total += x\n    count += 1"


def test_ctrl_z_belongs_to_the_editor_only_while_there_is_typing_to_undo(qtbot: QtBot) -> None:
    editor = AnswerEditor()
    qtbot.addWidget(editor)

    def editor_takes_ctrl_z() -> bool:
        override = QKeyEvent(
            QEvent.Type.ShortcutOverride, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier
        )
        editor.event(override)
        return override.isAccepted()

    assert not editor_takes_ctrl_z()  # nothing typed: the window's Ctrl+Z (undo review)
    qtbot.keyClicks(editor, "typed")
    assert editor_takes_ctrl_z()
    qtbot.keyClick(editor, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert editor.toPlainText() == ""
