"""How each report block is laid out on PDF pages: headings, notes, figure tiles, tables that
break across pages with their header repeated, vector charts, and the learner's Markdown."""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial

from PySide6.QtCore import QPointF, QRectF
from PySide6.QtGui import QColor, QFont, QPainter

from desktop.core.reports.report import ProgressReport
from desktop.core.reports.service import ChartStyle
from desktop.reports.blocks import Block, Chart, Figures, Heading, Markdown, Paragraph, Table
from desktop.reports.charts.report_charts import paint_report_chart
from desktop.reports.export.pdf_flow import PageFlow, Pen, paint_lines, rule
from desktop.reports.export.pdf_rich_text import place_markdown

INK = "#1f2328"
MUTED = "#57606a"
LINE = "#d0d7de"
TILE = "#f3f5f7"
HEADER_FILL = "#eaeef2"
STRIPE = "#f8f9fa"
FIGURE_COLUMNS = 4
# A heading needs this much room below it, or it moves to the next page with its content.
KEEP_WITH_NEXT_PT = 90


@dataclass(frozen=True)
class PrintFonts:
    family: str

    def pen(self, size: float, *, bold: bool = False, color: str = INK) -> Pen:
        font = QFont(self.family)
        font.setPointSizeF(size)
        font.setBold(bold)
        return Pen(font, color)


def _paint_line(painter: QPainter, rect: QRectF, *, line: str, pen: Pen) -> None:
    paint_lines(painter, [line], pen, rect, rect.height())


class BlockLayout:
    """Places blocks into a `PageFlow`."""

    def __init__(self, flow: PageFlow, fonts: PrintFonts, report: ProgressReport) -> None:
        self.flow = flow
        self.fonts = fonts
        self.report = report
        self.chart_style = ChartStyle(font_family=fonts.family, font_point_size=7.0)
        self._sections = 0

    def add(self, block: Block) -> None:
        if isinstance(block, Heading):
            self.heading(block)
        elif isinstance(block, Paragraph):
            self.paragraph(block)
        elif isinstance(block, Figures):
            self.figures(block)
        elif isinstance(block, Table):
            self.table(block)
        elif isinstance(block, Markdown):
            place_markdown(self.flow, self.fonts.pen(9), block.text)
        else:
            self.chart(block)

    def heading(self, heading: Heading) -> None:
        flow = self.flow
        if heading.level == 1:
            # Each section after the first starts on a page of its own.
            if heading.new_page and self._sections and not flow.at_page_top:
                flow.new_page()
            self._sections += 1
        pen = self.fonts.pen(15 if heading.level == 1 else 11, bold=True)
        # A long heading (a deep topic path) wraps within the margins, never runs past them.
        lines = flow.wrap(heading.text, pen, flow.body.width())
        line_height = flow.line_height(pen)
        height = line_height * len(lines) + 4 * flow.unit
        flow.space(10 if heading.level == 1 else 8)
        flow.ensure(height + KEEP_WITH_NEXT_PT * flow.unit)
        unit = flow.unit

        def paint(painter: QPainter, rect: QRectF) -> None:
            paint_lines(painter, lines, pen, rect, line_height)
            if heading.level == 1:
                y = rect.bottom() - unit
                rule(painter, QPointF(rect.left(), y), QPointF(rect.right(), y), LINE, 0.8 * unit)

        flow.place(height, paint)
        flow.space(4)

    def paragraph(self, paragraph: Paragraph) -> None:
        pen = self.fonts.pen(8 if paragraph.note else 9.5, color=MUTED if paragraph.note else INK)
        flow = self.flow
        lines = flow.wrap(paragraph.text, pen, flow.body.width())
        line_height = flow.line_height(pen)
        for line in lines:  # line by line, so a long paragraph may continue on the next page
            flow.place(line_height, partial(_paint_line, line=line, pen=pen))
        flow.space(6)

    def figures(self, figures: Figures) -> None:
        flow = self.flow
        unit = flow.unit
        value_pen = self.fonts.pen(13, bold=True)
        label_pen = self.fonts.pen(7.5, color=MUTED)
        gap = 5 * unit
        width = (flow.body.width() - gap * (FIGURE_COLUMNS - 1)) / FIGURE_COLUMNS
        value_height = flow.line_height(value_pen)
        label_height = flow.line_height(label_pen)
        height = value_height + label_height + 9 * unit
        for start in range(0, len(figures.items), FIGURE_COLUMNS):
            row = figures.items[start : start + FIGURE_COLUMNS]

            def paint(
                painter: QPainter, rect: QRectF, row: tuple[tuple[str, str], ...] = row
            ) -> None:
                for index, (label, value) in enumerate(row):
                    tile = QRectF(
                        rect.left() + index * (width + gap), rect.top(), width, height - gap
                    )
                    painter.fillRect(tile, QColor(TILE))
                    inner = tile.adjusted(6 * unit, 3 * unit, -6 * unit, 0)
                    paint_lines(painter, [value], value_pen, inner, value_height)
                    below = inner.adjusted(0, value_height, 0, 0)
                    paint_lines(painter, [label], label_pen, below, label_height)

            flow.place(height, paint)
        flow.space(6)

    def table(self, table: Table) -> None:
        flow = self.flow
        unit = flow.unit
        if not table.rows:
            self.paragraph(Paragraph(table.empty_text, note=True))
            return
        pen = self.fonts.pen(8)
        header_pen = self.fonts.pen(8, bold=True)
        pad = 3 * unit
        total = sum(c.weight for c in table.columns)
        widths = [flow.body.width() * c.weight / total for c in table.columns]
        line_height = flow.line_height(pen)

        def cells(texts: tuple[str, ...], cell_pen: Pen) -> list[list[str]]:
            return [flow.wrap(t, cell_pen, w - 2 * pad) for t, w in zip(texts, widths, strict=True)]

        header = cells(tuple(c.title for c in table.columns), header_pen)
        header_height = max(len(c) for c in header) * line_height + 2 * pad

        def paint_row(
            painter: QPainter,
            rect: QRectF,
            *,
            lines: list[list[str]],
            row_pen: Pen,
            fill: str | None,
        ) -> None:
            if fill:
                painter.fillRect(rect, QColor(fill))
            x = rect.left()
            for column, cell, width in zip(table.columns, lines, widths, strict=True):
                box = QRectF(x + pad, rect.top() + pad, width - 2 * pad, rect.height() - 2 * pad)
                paint_lines(painter, cell, row_pen, box, line_height, align_right=column.numeric)
                x += width
            rule(painter, rect.bottomLeft(), rect.bottomRight(), LINE, 0.5 * unit)

        def place_header() -> None:
            flow.place(
                header_height,
                partial(paint_row, lines=header, row_pen=header_pen, fill=HEADER_FILL),
            )

        rows = [cells(row, pen) for row in table.rows]
        first_height = max(len(c) for c in rows[0]) * line_height + 2 * pad
        flow.ensure(header_height + first_height)
        place_header()
        for index, lines in enumerate(rows):
            height = max(len(c) for c in lines) * line_height + 2 * pad
            if flow.y + height > flow.body.bottom():
                flow.new_page()
                place_header()
            fill = STRIPE if index % 2 else None
            flow.place(height, partial(paint_row, lines=lines, row_pen=pen, fill=fill))
        flow.space(8)

    def chart(self, chart: Chart) -> None:
        flow = self.flow
        title_pen = self.fonts.pen(9, bold=True)
        title_height = flow.line_height(title_pen) + 4 * flow.unit
        chart_height = flow.body.width() * chart.aspect
        flow.ensure(title_height + chart_height)
        flow.place(
            title_height, lambda p, r: paint_lines(p, [chart.title], title_pen, r, r.height())
        )
        style = self.chart_style
        flow.place(
            chart_height, lambda p, r: paint_report_chart(chart.kind, p, r, self.report, style)
        )
        flow.space(10)
