"""The report as a PDF written by Qt's own `QPdfWriter`: A4, vector charts, embedded fonts.

Each page has a running header (title and period) and a footer with the page number; the text
stays text (it can be searched, copied and read back by a PDF text extractor).
"""

from __future__ import annotations

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QMarginsF, QPointF, QRectF
from PySide6.QtGui import QPageLayout, QPageSize, QPainter, QPdfWriter

from desktop import APP_NAME
from desktop.core.reports.report import ProgressReport
from desktop.core.reports.service import ProgressCallback, ReportExportError
from desktop.reports.blocks import Document
from desktop.reports.export.fonts import print_font_family
from desktop.reports.export.pdf_blocks import LINE, MUTED, BlockLayout, PrintFonts
from desktop.reports.export.pdf_flow import PageFlow, paint_lines, rule
from desktop.reports.formatting import day
from desktop.reports.sections import report_document

RESOLUTION_DPI = 600
MARGIN_MM = (18.0, 22.0, 18.0, 20.0)  # left, top, right, bottom: room for header and footer


def _mm(value: float) -> float:
    return value / 25.4 * RESOLUTION_DPI


def _title_block(flow: PageFlow, fonts: PrintFonts, document: Document) -> None:
    title = fonts.pen(20, bold=True)
    subtitle = fonts.pen(9, color=MUTED)
    title_height = flow.line_height(title)
    flow.place(title_height, lambda p, r: paint_lines(p, [document.title], title, r, title_height))
    line_height = flow.line_height(subtitle)
    lines = list(document.subtitle)
    flow.place(
        line_height * len(lines), lambda p, r: paint_lines(p, lines, subtitle, r, line_height)
    )
    flow.space(6)


def _decorate(
    painter: QPainter,
    page: QRectF,
    body: QRectF,
    fonts: PrintFonts,
    report: ProgressReport,
    number: int,
    total: int,
) -> None:
    unit = RESOLUTION_DPI / 72
    pen = fonts.pen(7.5, color=MUTED)
    height = 10 * unit
    header = QRectF(body.left(), _mm(10), body.width(), height)
    period = f"{day(report.period.start)} to {day(report.period.end)}"
    paint_lines(painter, [f"{APP_NAME} progress report"], pen, header, height)
    paint_lines(painter, [period], pen, header, height, align_right=True)
    y = header.bottom() + 2 * unit
    rule(painter, QPointF(body.left(), y), QPointF(body.right(), y), LINE, 0.5 * unit)
    footer = QRectF(body.left(), page.bottom() - _mm(12), body.width(), height)
    paint_lines(painter, [f"{APP_NAME} {report.app_version}"], pen, footer, height)
    paint_lines(painter, [f"Page {number} of {total}"], pen, footer, height, align_right=True)


def render_pdf(report: ProgressReport, on_progress: ProgressCallback | None = None) -> bytes:
    """The PDF's bytes (rendered in memory; the caller writes them atomically)."""
    document = report_document(report)
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    writer = QPdfWriter(buffer)
    writer.setResolution(RESOLUTION_DPI)
    writer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
    writer.setPageMargins(QMarginsF(0, 0, 0, 0), QPageLayout.Unit.Millimeter)
    writer.setTitle(document.title)
    writer.setCreator(f"{APP_NAME} {report.app_version}")
    page = QRectF(writer.pageLayout().fullRectPixels(RESOLUTION_DPI))
    left, top, right, bottom = (_mm(v) for v in MARGIN_MM)
    body = page.adjusted(left, top, -right, -bottom)
    fonts = PrintFonts(print_font_family())
    flow = PageFlow(writer, body, RESOLUTION_DPI / 72)
    _title_block(flow, fonts, document)
    layout = BlockLayout(flow, fonts, report)
    for block in document.blocks:
        layout.add(block)
    if on_progress:
        on_progress(0.1, "Laid out the pages")
    painter = QPainter()
    if not painter.begin(writer):
        raise ReportExportError("Could not start the PDF writer.")
    try:
        total = len(flow.pages)
        for number, operations in enumerate(flow.pages, start=1):
            if number > 1:
                writer.newPage()
            _decorate(painter, page, body, fonts, report, number, total)
            for operation in operations:
                painter.save()
                operation(painter)
                painter.restore()
            if on_progress:
                on_progress(0.1 + 0.85 * number / total, f"Page {number} of {total}")
    finally:
        painter.end()
    buffer.close()
    return bytes(data.data())
