"""What every chart shares: lengths in points, fonts, round axis ticks, the value axis, the
message shown instead of an empty plot.

A chart paints into any QPaintDevice (a widget, a QImage, a QPdfWriter page, a QSvgGenerator),
so sizes are given in points and turned into device units with the device's own resolution.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPainter, QPen

from desktop.core.reports.service import ChartStyle

ValueFormat = Callable[[float], str]


def points(painter: QPainter) -> float:
    """Device units per typographic point on the painter's device."""
    device = painter.device()
    return device.logicalDpiY() / 72.0 if device is not None else 1.0


def chart_font(style: ChartStyle, *, scale: float = 1.0, bold: bool = False) -> QFont:
    font = QFont(style.font_family) if style.font_family else QFont()
    font.setPointSizeF(style.font_point_size * scale)
    font.setBold(bold)
    return font


def metrics(painter: QPainter, font: QFont) -> QFontMetricsF:
    device = painter.device()
    return QFontMetricsF(font, device) if device is not None else QFontMetricsF(font)


def count_format(value: float) -> str:
    return f"{value:,.0f}"


def percent_format(value: float) -> str:
    return f"{value * 100:.0f}%"


def round_ticks(maximum: float, target: int = 4) -> list[float]:
    """0 up to a round number >= maximum in about `target` steps of 1, 2 or 5 x 10^n."""
    if maximum <= 0:
        return [0.0, 1.0]
    raw = maximum / target
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 5, 10) if m * magnitude >= raw)
    step = max(step, 1.0) if maximum >= 1 else step
    count = math.ceil(maximum / step - 1e-9)
    return [i * step for i in range(count + 1)]


def paint_message(painter: QPainter, rect: QRectF, style: ChartStyle, message: str) -> None:
    """Shown instead of a plot with nothing on it: a thin frame and the reason."""
    unit = points(painter)
    painter.save()
    painter.setPen(QPen(QColor(style.grid), 0.75 * unit, Qt.PenStyle.DashLine))
    painter.setBrush(Qt.BrushStyle.NoBrush)
    inset = 0.5 * unit
    painter.drawRect(rect.adjusted(inset, inset, -inset, -inset))
    painter.setFont(chart_font(style, scale=1.15))
    painter.setPen(QColor(style.muted))
    painter.drawText(rect, Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap, message)
    painter.restore()


def paint_value_axis(
    painter: QPainter,
    rect: QRectF,
    ticks: Sequence[float],
    value_format: ValueFormat,
    style: ChartStyle,
    *,
    bottom_margin: float,
    top_margin: float = 0.0,
) -> QRectF:
    """Draws horizontal grid lines with their labels on the left; returns the plot area."""
    unit = points(painter)
    font = chart_font(style)
    fm = metrics(painter, font)
    labels = [value_format(tick) for tick in ticks]
    label_width = max(fm.horizontalAdvance(label) for label in labels)
    top = rect.top() + max(fm.height() / 2, top_margin)
    plot = QRectF(
        rect.left() + label_width + 4 * unit,
        top,
        rect.width() - label_width - 5 * unit,
        rect.bottom() - bottom_margin - top,
    )
    painter.save()
    painter.setFont(font)
    top_tick = ticks[-1] or 1.0
    for tick, label in zip(ticks, labels, strict=True):
        y = plot.bottom() - plot.height() * tick / top_tick
        painter.setPen(QPen(QColor(style.axis if tick == 0 else style.grid), 0.5 * unit))
        painter.drawLine(QPointF(plot.left(), y), QPointF(plot.right(), y))
        painter.setPen(QColor(style.muted))
        box = QRectF(rect.left(), y - fm.height() / 2, label_width, fm.height())
        painter.drawText(box, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, label)
    painter.restore()
    return plot


def label_step(painter: QPainter, labels: Sequence[str], slot_width: float, font: QFont) -> int:
    """Show every n-th category label so that neighbours never touch."""
    if not labels:
        return 1
    fm = metrics(painter, font)
    widest = max(fm.horizontalAdvance(label) for label in labels) + 6 * points(painter)
    return max(1, math.ceil(widest / max(slot_width, 1e-6)))


def paint_category_labels(
    painter: QPainter,
    rect: QRectF,
    plot: QRectF,
    labels: Sequence[str],
    style: ChartStyle,
) -> None:
    """Labels under each category slot (every n-th when crowded), kept inside `rect`."""
    if not labels:
        return
    font = chart_font(style)
    fm = metrics(painter, font)
    slot = plot.width() / len(labels)
    step = label_step(painter, labels, slot, font)
    unit = points(painter)
    painter.save()
    painter.setFont(font)
    painter.setPen(QColor(style.muted))
    for index in range(0, len(labels), step):
        width = fm.horizontalAdvance(labels[index]) + 2 * unit
        center = plot.left() + slot * (index + 0.5)
        left = min(max(center - width / 2, rect.left()), rect.right() - width)
        box = QRectF(left, plot.bottom() + 3 * unit, width, fm.height())
        painter.drawText(box, Qt.AlignmentFlag.AlignCenter, labels[index])
    painter.restore()
