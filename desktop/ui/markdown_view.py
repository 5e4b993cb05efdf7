"""Markdown shown in a QTextBrowser (rendered by `desktop.markup.html`), following the light
or dark palette. Nothing is ever loaded from outside the document (no remote images, no links
followed inside the view).
"""

from __future__ import annotations

import html

from PySide6.QtCore import QEvent, QUrl
from PySide6.QtGui import QDesktopServices, QPalette, QTextOption
from PySide6.QtWidgets import QTextBrowser, QWidget

from desktop.markup.html import markdown_html

_DOCUMENT_STYLE = """
table.grid { border-collapse: collapse; margin: 4px 0; }
table.grid th, table.grid td { border: 1px solid %(border)s; padding: 3px 6px; }
table.grid th { background-color: %(header)s; }
pre { margin: 0; }
code { font-family: "DejaVu Sans Mono", monospace; }
"""


def plain_text_html(text: str) -> str:
    """The learner's own answer, shown verbatim (whitespace kept) beside the reference."""
    return f'<p style="white-space: pre-wrap;">{html.escape(text)}</p>'


class MarkdownView(QTextBrowser):
    """A read-only view of Markdown that follows the light/dark palette."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._markdown = ""
        self.setOpenLinks(False)
        # Lines break between words only: an identifier in code is never cut in two
        # ("memory_summ" / "ary()"); a word wider than the view scrolls instead.
        self.setWordWrapMode(QTextOption.WrapMode.WordWrap)
        self.anchorClicked.connect(self._on_anchor_clicked)
        self._apply_document_style()

    def set_markdown(self, text: str) -> None:
        self._markdown = text
        self.setHtml(markdown_html(text, dark=self.is_dark()))

    def set_rendered(self, text: str, html: str, *, dark: bool) -> None:
        """Shows HTML rendered from `text` elsewhere (off the GUI thread); rendered again
        only if the palette changed in the meantime."""
        self._markdown = text
        self.setHtml(html if dark == self.is_dark() else markdown_html(text, dark=self.is_dark()))

    def markdown(self) -> str:
        return self._markdown

    def is_dark(self) -> bool:
        return self.palette().color(QPalette.ColorRole.Base).lightness() < 128

    def loadResource(self, type: int, name: QUrl | str) -> object:
        # Images and stylesheets referenced by a question are never fetched.
        return None

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:
            self._apply_document_style()
            if self._markdown:
                self.setHtml(markdown_html(self._markdown, dark=self.is_dark()))

    def _apply_document_style(self) -> None:
        dark = self.is_dark()
        colours = {
            "border": "#555555" if dark else "#bbbbbb",
            "header": "#2d2d2d" if dark else "#eeeeee",
        }
        self.document().setDefaultStyleSheet(_DOCUMENT_STYLE % colours)

    def _on_anchor_clicked(self, url: QUrl) -> None:
        # Links open in the person's browser on request; never inside the app.
        if url.scheme() in ("http", "https"):
            QDesktopServices.openUrl(url)
