"""The answer editor: Tab indents with spaces (every selected line), Shift+Tab takes them back,
Enter keeps the indentation, Ctrl+Z undoes typing only, Ctrl+Enter asks to submit, the
monospace toggle, the word count, and the limit on how much an answer keeps."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QFontInfo, QKeyEvent, QTextCursor
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from desktop.core.grading.grades import STORED_ANSWER_CHARS
from desktop.paths import resources_dir
from desktop.ui.answer_editor import AnswerEditor, count_words
from desktop.ui.practice.answer_pane import AnswerPane
from desktop.ui.theme import Appearance, apply_theme


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


def test_ctrl_enter_is_never_a_new_line(qtbot: QtBot) -> None:
    # It submits, through the screen's one shortcut (tests/ui/test_practice_keys.py).
    editor = AnswerEditor()
    qtbot.addWidget(editor)
    qtbot.keyClicks(editor, "answer")
    qtbot.keyClick(editor, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(editor, Qt.Key.Key_Enter, Qt.KeyboardModifier.ControlModifier)
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


def test_a_limited_editor_refuses_typing_past_the_limit_and_says_so(qtbot: QtBot) -> None:
    editor = AnswerEditor(max_chars=10)
    qtbot.addWidget(editor)
    told: list[int] = []
    editor.limit_reached.connect(told.append)
    qtbot.keyClicks(editor, "0123456789")
    assert told == [] and editor.is_full()
    cursor = editor.textCursor()
    cursor.setPosition(3)
    editor.setTextCursor(cursor)
    qtbot.keyClicks(editor, "x")  # in the middle: refused, nothing at the end is pushed out
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.keyClick(editor, Qt.Key.Key_Tab)
    assert editor.toPlainText() == "0123456789"
    assert told == [10, 10, 10]
    qtbot.keyClick(editor, Qt.Key.Key_Backspace)  # editing keys still work
    qtbot.keyClicks(editor, "ab")
    assert editor.toPlainText() == "01a3456789"
    qtbot.keyClick(editor, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert editor.toPlainText() == "01a3456789"  # Ctrl+Enter adds nothing either


def test_a_paste_keeps_what_fits_and_set_text_is_trimmed(qtbot: QtBot) -> None:
    editor = AnswerEditor(max_chars=10)
    qtbot.addWidget(editor)
    told: list[int] = []
    editor.limit_reached.connect(told.append)
    qtbot.keyClicks(editor, "abc")
    QApplication.clipboard().setText("0123456789" * 1000)
    editor.paste()
    assert editor.toPlainText() == "abc0123456"
    assert told == [10]
    editor.selectAll()
    editor.paste()  # the selection is replaced, so ten characters fit again
    assert editor.toPlainText() == "0123456789"
    editor.setPlainText("é🙂" * 8)  # characters, not UTF-16 units, count
    assert editor.toPlainText() == "é🙂" * 5
    assert told == [10, 10, 10]
    unlimited = AnswerEditor()
    qtbot.addWidget(unlimited)
    unlimited.setPlainText("x" * 200_000)
    assert len(unlimited.toPlainText()) == 200_000


def test_the_answer_pane_keeps_answers_to_the_stored_limit_with_a_visible_note(
    qtbot: QtBot,
) -> None:
    pane = AnswerPane()
    qtbot.addWidget(pane)
    pane.show()
    assert pane.editor.max_chars == STORED_ANSWER_CHARS
    assert pane.limit_note.isHidden()
    QApplication.clipboard().setText("word " * (STORED_ANSWER_CHARS // 4))
    pane.editor.paste()
    assert len(pane.editor.toPlainText()) == STORED_ANSWER_CHARS
    assert pane.limit_note.isVisible()
    assert f"{STORED_ANSWER_CHARS:,} characters" in pane.limit_note.text()
    qtbot.keyClick(pane.editor, Qt.Key.Key_Backspace)
    assert pane.limit_note.isHidden()  # there is room again
    pane.reset("a new question's draft")
    assert pane.limit_note.isHidden()


def test_the_monospace_font_outlives_a_change_of_theme(qtbot: QtBot) -> None:
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    styles = resources_dir() / "styles"
    editor = AnswerEditor()
    qtbot.addWidget(editor)
    editor.show()
    try:
        apply_theme(app, Appearance.LIGHT, styles)
        proportional = QFontInfo(editor.font()).family()
        editor.set_monospace(True)
        assert QFontInfo(editor.font()).fixedPitch()
        apply_theme(app, Appearance.DARK, styles)  # Settings → Appearance → Dark
        assert editor.is_monospace and QFontInfo(editor.font()).fixedPitch()
        editor.set_monospace(False)
        assert QFontInfo(editor.font()).family() == proportional
    finally:
        app.setStyleSheet("")
        app.setPalette(app.style().standardPalette())
