"""Markdown rendered for QTextBrowser: code highlighted with Pygments inline styles.

QTextBrowser understands a subset of HTML: it ignores a `<div>`'s background, so each code
block is wrapped in a one-cell table that carries the colour, and tables get a default border
stylesheet. Nothing is ever loaded from outside the document (no remote images, no links
followed inside the view).
"""

from __future__ import annotations

import html
import re

import markdown
from PySide6.QtCore import QEvent, QUrl
from PySide6.QtGui import QDesktopServices, QPalette
from PySide6.QtWidgets import QTextBrowser, QWidget

LIGHT_CODE_STYLE = "friendly"
DARK_CODE_STYLE = "github-dark"

_CODE_BLOCK = re.compile(
    r'<div class="codehilite" style="background: (?P<bg>[^"]+)">'
    r"<pre[^>]*>(?:<span></span>)?(?:<code>)?(?P<body>.*?)(?:</code>)?</pre></div>",
    re.DOTALL,
)

_DOCUMENT_STYLE = """
table.grid { border-collapse: collapse; margin: 4px 0; }
table.grid th, table.grid td { border: 1px solid %(border)s; padding: 3px 6px; }
table.grid th { background-color: %(header)s; }
pre { margin: 0; }
code { font-family: "DejaVu Sans Mono", monospace; }
"""


def _wrap_code_block(match: re.Match[str]) -> str:
    body = match.group("body").rstrip("\n")
    return (
        f'<table width="100%" cellpadding="8" cellspacing="0" bgcolor="{match.group("bg")}" '
        f'style="margin: 4px 0;"><tr><td><pre style="font-family: \'DejaVu Sans Mono\', '
        f'monospace;">{body}</pre></td></tr></table>'
    )


def render_markdown(text: str, *, dark: bool = False) -> str:
    """Markdown -> HTML for QTextBrowser."""
    converter = markdown.Markdown(
        extensions=["fenced_code", "tables", "sane_lists", "codehilite"],
        extension_configs={
            "codehilite": {
                "noclasses": True,
                "guess_lang": False,
                "pygments_style": DARK_CODE_STYLE if dark else LIGHT_CODE_STYLE,
            }
        },
    )
    # Raw HTML in a question is shown as text, never interpreted (no <script>, no <img src=..>).
    converter.preprocessors.deregister("html_block")
    converter.inlinePatterns.deregister("html")
    converted = converter.convert(text)
    converted = converted.replace("<table>", '<table class="grid" cellspacing="0">')
    return _CODE_BLOCK.sub(_wrap_code_block, converted)


def plain_text_html(text: str) -> str:
    """The learner's own answer, shown verbatim (whitespace kept) beside the reference."""
    return f'<p style="white-space: pre-wrap;">{html.escape(text)}</p>'


class MarkdownView(QTextBrowser):
    """A read-only view of Markdown that follows the light/dark palette."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._markdown = ""
        self.setOpenLinks(False)
        self.anchorClicked.connect(self._on_anchor_clicked)
        self._apply_document_style()

    def set_markdown(self, text: str) -> None:
        self._markdown = text
        self.setHtml(render_markdown(text, dark=self.is_dark()))

    def set_rendered(self, text: str, html: str, *, dark: bool) -> None:
        """Shows HTML rendered from `text` elsewhere (off the GUI thread); rendered again
        only if the palette changed in the meantime."""
        self._markdown = text
        self.setHtml(html if dark == self.is_dark() else render_markdown(text, dark=self.is_dark()))

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
                self.setHtml(render_markdown(self._markdown, dark=self.is_dark()))

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
