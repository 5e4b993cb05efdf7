"""A small page-flow engine for the PDF: places measured boxes top to bottom, page after page.

Layout and painting are separate passes: blocks are measured and placed first (each placement
is a paint operation remembered with its page), then the pages are painted. So every page
footer can say "Page 2 of 5", and the painting pass can report progress page by page.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetricsF,
    QPagedPaintDevice,
    QPainter,
    QTextLayout,
    QTextOption,
)

PaintOperation = Callable[[QPainter], None]


@dataclass(frozen=True)
class Pen:
    """A font and a colour for text."""

    font: QFont
    color: str


class PageFlow:
    """Boxes placed on pages; `y` is where the next box goes on the current page."""

    def __init__(self, device: QPagedPaintDevice, body: QRectF, unit: float) -> None:
        self.device = device
        self.body = body
        self.unit = unit
        self.pages: list[list[PaintOperation]] = [[]]
        self.y = body.top()

    @property
    def at_page_top(self) -> bool:
        return self.y <= self.body.top() + 1e-6

    def new_page(self) -> None:
        self.pages.append([])
        self.y = self.body.top()

    def ensure(self, height: float) -> None:
        """Starts a new page unless `height` still fits on this one (a box taller than a whole
        page goes on a fresh page and is cut at its bottom)."""
        if self.y + height > self.body.bottom() + 1e-6 and not self.at_page_top:
            self.new_page()

    def place(self, height: float, paint: Callable[[QPainter, QRectF], None]) -> QRectF:
        """Puts a full-width box of `height` here (on a new page if it does not fit)."""
        self.ensure(height)
        rect = QRectF(self.body.left(), self.y, self.body.width(), height)
        self.pages[-1].append(lambda painter: paint(painter, rect))
        self.y += height
        return rect

    def space(self, points: float) -> None:
        if not self.at_page_top:
            self.y = min(self.y + points * self.unit, self.body.bottom())

    def metrics(self, font: QFont) -> QFontMetricsF:
        return QFontMetricsF(font, self.device)

    def line_height(self, pen: Pen) -> float:
        return self.metrics(pen.font).lineSpacing()

    def wrap(self, text: str, pen: Pen, width: float) -> list[str]:
        """`text` broken into lines no wider than `width` (long words are broken too)."""
        lines: list[str] = []
        for paragraph in text.split("\n"):
            layout = QTextLayout(paragraph, pen.font, self.device)
            option = QTextOption()
            option.setWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
            layout.setTextOption(option)
            layout.beginLayout()
            while True:
                line = layout.createLine()
                if not line.isValid():
                    break
                line.setLineWidth(width)
                start = line.textStart()
                lines.append(paragraph[start : start + line.textLength()].rstrip())
            layout.endLayout()
        return lines or [""]


def paint_lines(
    painter: QPainter,
    lines: list[str],
    pen: Pen,
    rect: QRectF,
    line_height: float,
    *,
    align_right: bool = False,
) -> None:
    painter.setFont(pen.font)
    painter.setPen(QColor(pen.color))
    horizontal = Qt.AlignmentFlag.AlignRight if align_right else Qt.AlignmentFlag.AlignLeft
    for index, line in enumerate(lines):
        box = QRectF(rect.left(), rect.top() + index * line_height, rect.width(), line_height)
        painter.drawText(box, horizontal | Qt.AlignmentFlag.AlignVCenter, line)


def rule(painter: QPainter, start: QPointF, end: QPointF, color: str, width: float) -> None:
    painter.save()
    painter.setPen(QColor(color))
    pen = painter.pen()
    pen.setWidthF(width)
    painter.setPen(pen)
    painter.drawLine(start, end)
    painter.restore()
