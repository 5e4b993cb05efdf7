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
