"""The answer editor: Tab indents with spaces, Shift+Tab takes them back, Ctrl+Enter asks to
submit, the monospace toggle, and the word count."""

from __future__ import annotations

from PySide6.QtCore import Qt
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
