"""Markdown the learner wrote (a question, a reference answer) laid out on PDF pages: rendered by
`desktop.markup.html` into a `QTextDocument` measured on the PDF writer, and cut between lines
when it reaches the bottom of a page. The text stays text. A page cannot scroll sideways, so a
table wider than `TABLE_COLUMNS` columns is printed as several tables, each repeating the first
column: every column is on paper."""

from __future__ import annotations

from functools import partial

from PySide6.QtCore import QRectF
from PySide6.QtGui import QPainter, QTextDocument

from desktop.markup.html import markdown_html
from desktop.reports.export.pdf_flow import PageFlow, Pen

TABLE_COLUMNS = 8
_STYLE = """
table.grid { border-collapse: collapse; margin-bottom: 4px; }
table.grid th, table.grid td { border: 1px solid #bbbbbb; padding: 2px 5px; }
table.grid th { background-color: #eeeeee; }
pre { margin: 0; }
code { font-family: "DejaVu Sans Mono", monospace; }
"""


def _line_bottoms(document: QTextDocument) -> list[float]:
    """Where each line of the laid-out document ends: the places a page may break."""
    layout = document.documentLayout()
    bottoms = []
    block = document.begin()
    while block.isValid():
        top = layout.blockBoundingRect(block).top()
        lines = block.layout()
        for index in range(lines.lineCount()):
            line = lines.lineAt(index)
            bottoms.append(top + line.y() + line.height())
        block = block.next()
    return sorted(bottoms)


def _paint_slice(
    painter: QPainter, rect: QRectF, *, document: QTextDocument, top: float, height: float
) -> None:
    painter.translate(rect.left(), rect.top() - top)
    document.drawContents(painter, QRectF(0, top, rect.width(), height))


def place_markdown(flow: PageFlow, pen: Pen, text: str) -> None:
    document = QTextDocument()
    document.documentLayout().setPaintDevice(flow.device)
    document.setDefaultFont(pen.font)
    document.setDefaultStyleSheet(_STYLE)
    document.setDocumentMargin(0)
    document.setHtml(markdown_html(text, table_columns=TABLE_COLUMNS))
    document.setTextWidth(flow.body.width())
    total = document.size().height()
    breaks = [*_line_bottoms(document), total]
    top = 0.0
    while top < total - 0.5:
        room = flow.body.bottom() - flow.y
        fitting = [bottom for bottom in breaks if top < bottom <= top + room + 0.5]
        if not fitting and not flow.at_page_top:
            flow.new_page()
            continue
        cut = max(fitting) if fitting else min(top + room, total)  # a line taller than a page
        flow.place(cut - top, partial(_paint_slice, document=document, top=top, height=cut - top))
        top = cut
    flow.space(6)
