"""The Markdown view keeps its source and fetches nothing from outside."""

from __future__ import annotations

from PySide6.QtCore import QUrl
from pytestqt.qtbot import QtBot

from desktop.ui.markdown_view import MarkdownView
from tests.markup.test_markdown_html import QUESTION


def test_the_view_keeps_the_source_and_fetches_nothing(qtbot: QtBot) -> None:
    view = MarkdownView()
    qtbot.addWidget(view)
    view.set_markdown(QUESTION + "\n![chart](http://example.com/chart.png)\n")
    assert view.markdown().startswith("**Q3**")
    assert "torch.no_grad()" in view.toPlainText()
    assert view.loadResource(2, QUrl("http://example.com/chart.png")) is None


def test_an_identifier_is_never_cut_across_lines(qtbot: QtBot) -> None:
    view = MarkdownView()
    qtbot.addWidget(view)
    view.resize(160, 300)
    view.show()
    view.set_markdown("1. Check current memory usage: `torch.cuda.memory_summary()` first")
    text = view.toPlainText()
    start = text.index("torch.cuda.memory_summary()")
    end = start + len("torch.cuda.memory_summary()") - 1
    block = view.document().findBlock(start)
    layout = block.layout()
    first = layout.lineForTextPosition(start - block.position()).lineNumber()
    last = layout.lineForTextPosition(end - block.position()).lineNumber()
    assert first == last  # the identifier stays on one line, however narrow the view
