"""Line charts with a legend (average grade per topic over time) on any QPainter."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPainterPath, QPen

from desktop.core.reports.service import ChartStyle
from desktop.reports.charts.frame import (
    ValueFormat,
    chart_font,
    metrics,
    paint_category_labels,
    paint_message,
    paint_value_axis,
    percent_format,
    points,
)

FRACTION_TICKS = (0.0, 0.25, 0.5, 0.75, 1.0)


@dataclass(frozen=True)
class LineSeries:
    """A named line: one value per x label, None where there is no value (the line skips it)."""

    name: str
    values: tuple[float | None, ...]


def _legend_rows(
    painter: QPainter, width: float, series: Sequence[LineSeries], style: ChartStyle
) -> list[list[tuple[int, str, float]]]:
    """Legend entries (series index, elided name, entry width) wrapped into rows."""
    unit = points(painter)
    fm = metrics(painter, chart_font(style))
    swatch = 14 * unit
    longest = max(width - swatch - 12 * unit, 40 * unit)  # a name may take a whole row
    rows: list[list[tuple[int, str, float]]] = [[]]
    used = 0.0
    for index, line in enumerate(series):
        name = fm.elidedText(line.name, Qt.TextElideMode.ElideRight, longest)
        entry = swatch + fm.horizontalAdvance(name) + 12 * unit
        if rows[-1] and used + entry > width:
            rows.append([])
            used = 0.0
        rows[-1].append((index, name, entry))
        used += entry
    return rows


def _color(style: ChartStyle, index: int) -> QColor:
    return QColor(style.palette[index % len(style.palette)])


def paint_line_chart(
    painter: QPainter,
    rect: QRectF,
    x_labels: Sequence[str],
    series: Sequence[LineSeries],
    style: ChartStyle,
    *,
    ticks: Sequence[float] = FRACTION_TICKS,
    value_format: ValueFormat = percent_format,
    empty_message: str = "Nothing to show yet",
) -> None:
    """Paints each series as a line with a dot per value, and a legend below the plot."""
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
    if style.background:
        painter.fillRect(rect, QColor(style.background))
    if not x_labels or not any(v is not None for line in series for v in line.values):
        paint_message(painter, rect, style, empty_message)
        painter.restore()
        return
    unit = points(painter)
    font = chart_font(style)
    fm = metrics(painter, font)
    rows = _legend_rows(painter, rect.width(), series, style)
    row_height = fm.height() + 3 * unit
    legend_height = len(rows) * row_height + 4 * unit
    plot_rect = QRectF(rect.left(), rect.top(), rect.width(), rect.height() - legend_height)
    plot = paint_value_axis(
        painter, plot_rect, ticks, value_format, style, bottom_margin=fm.height() + 4 * unit
    )
    paint_category_labels(painter, plot_rect, plot, x_labels, style)
    slot = plot.width() / len(x_labels)
    top_tick = ticks[-1] or 1.0
    for index, line in enumerate(series):
        color = _color(style, index)
        path = QPainterPath()
        dots: list[QPointF] = []
        for position, value in enumerate(line.values):
            if value is None:
                continue
            point = QPointF(
                plot.left() + slot * (position + 0.5),
                plot.bottom() - plot.height() * min(value, top_tick) / top_tick,
            )
            if dots:
                path.lineTo(point)
            else:
                path.moveTo(point)
            dots.append(point)
        painter.setPen(QPen(color, 1.4 * unit))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawPath(path)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(color)
        for dot in dots:
            painter.drawEllipse(dot, 1.8 * unit, 1.8 * unit)
    painter.setFont(font)
    y = plot_rect.bottom() + 4 * unit
    for row in rows:
        x = rect.left() + 2 * unit
        for index, name, entry in row:
            middle = y + row_height / 2
            painter.setPen(QPen(_color(style, index), 2 * unit))
            painter.drawLine(QPointF(x, middle), QPointF(x + 10 * unit, middle))
            painter.setPen(QColor(style.text))
            box = QRectF(x + 14 * unit, y, entry - 14 * unit, row_height)
            painter.drawText(box, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, name)
            x += entry
        y += row_height
    painter.restore()
