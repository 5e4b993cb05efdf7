"""Vertical bar charts (reviews per day, due forecast, question stages) on any QPainter."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QPainter

from desktop.core.reports.service import ChartStyle
from desktop.reports.charts.frame import (
    ValueFormat,
    chart_font,
    count_format,
    metrics,
    paint_category_labels,
    paint_message,
    paint_value_axis,
    points,
    round_ticks,
)


@dataclass(frozen=True)
class BarSeries:
    """One bar per label. `colors` gives each bar its own colour (else the palette's first);
    `show_values` prints each value above its bar, for charts with a few bars."""

    labels: tuple[str, ...]
    values: tuple[float, ...]
    colors: tuple[str, ...] = ()
    show_values: bool = False
    value_format: ValueFormat = count_format


def paint_bar_chart(
    painter: QPainter,
    rect: QRectF,
    series: BarSeries,
    style: ChartStyle,
    *,
    empty_message: str = "Nothing to show yet",
) -> None:
    """Paints `series` into `rect` (device coordinates); all zeros shows `empty_message`."""
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
    if style.background:
        painter.fillRect(rect, QColor(style.background))
    if not series.values or max(series.values) <= 0:
        paint_message(painter, rect, style, empty_message)
        painter.restore()
        return
    unit = points(painter)
    font = chart_font(style)
    fm = metrics(painter, font)
    ticks = round_ticks(max(series.values))
    plot = paint_value_axis(
        painter,
        rect,
        ticks,
        series.value_format,
        style,
        bottom_margin=fm.height() + 4 * unit,
        top_margin=fm.height() + 2 * unit if series.show_values else 0.0,
    )
    slot = plot.width() / len(series.values)
    # Thin bars still need a gap to read as separate days; very thin ones are drawn touching.
    bar_width = slot * (0.7 if slot > 3 * unit else 0.9)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setFont(font)
    for index, value in enumerate(series.values):
        if value <= 0:
            continue
        height = plot.height() * value / ticks[-1]
        bar = QRectF(
            plot.left() + slot * index + (slot - bar_width) / 2,
            plot.bottom() - height,
            bar_width,
            height,
        )
        color = series.colors[index % len(series.colors)] if series.colors else style.palette[0]
        painter.fillRect(bar, QColor(color))
        if series.show_values:
            painter.setPen(QColor(style.text))
            label_box = QRectF(
                bar.left() - slot, bar.top() - fm.height() - unit, bar_width + 2 * slot, fm.height()
            )
            painter.drawText(label_box, Qt.AlignmentFlag.AlignCenter, series.value_format(value))
            painter.setPen(Qt.PenStyle.NoPen)
    paint_category_labels(painter, rect, plot, series.labels, style)
    painter.restore()
