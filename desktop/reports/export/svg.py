"""Charts as SVG text for inlining in HTML, painted by the same code as the PDF's charts."""

from __future__ import annotations

import re

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QRectF, QSize
from PySide6.QtGui import QPainter
from PySide6.QtSvg import QSvgGenerator

from desktop.core.reports.report import ProgressReport
from desktop.core.reports.service import ChartKind, ChartStyle, ReportExportError
from desktop.reports.charts.report_charts import paint_report_chart

SVG_WIDTH = 720
# What QSvgGenerator writes before the element itself, and namespace declarations an inline
# <svg> does not need (HTML puts it in the SVG namespace anyway).
_PROLOGUE = re.compile(r"^.*?(?=<svg\b)", re.DOTALL)
_ROOT_ATTRIBUTES = re.compile(r'\s(?:xmlns(?::\w+)?|width|height|version|baseProfile)="[^"]*"')


def chart_svg(
    kind: ChartKind, report: ProgressReport, style: ChartStyle, *, aspect: float, title: str
) -> str:
    """An `<svg>` element that scales to its container's width (viewBox, no fixed size)."""
    height = round(SVG_WIDTH * aspect)
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    generator = QSvgGenerator()
    generator.setOutputDevice(buffer)
    generator.setSize(QSize(SVG_WIDTH, height))
    generator.setViewBox(QRectF(0, 0, SVG_WIDTH, height))
    generator.setTitle(title)
    painter = QPainter()
    if not painter.begin(generator):
        raise ReportExportError("Could not draw the report's charts.")
    try:
        paint_report_chart(kind, painter, QRectF(0, 0, SVG_WIDTH, height), report, style)
    finally:
        painter.end()
    buffer.close()
    text = _PROLOGUE.sub("", bytes(data.data()).decode("utf-8"), count=1)
    opening_end = text.index(">")
    opening = _ROOT_ATTRIBUTES.sub("", text[:opening_end])
    return f'{opening} role="img" aria-label="{_attribute(title)}"{text[opening_end:]}'


def _attribute(text: str) -> str:
    return text.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;")
