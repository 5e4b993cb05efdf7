"""Chart painters on a QImage: bars and lines appear in their colours where the data says, an
empty series shows its message instead, and sizes follow the device's resolution."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import QRectF
from PySide6.QtGui import QColor, QImage, QPainter

from desktop.core.reports.report import ProgressReport
from desktop.core.reports.service import ChartKind, ChartStyle
from desktop.reports.charts.bars import BarSeries, paint_bar_chart
from desktop.reports.charts.frame import round_ticks
from desktop.reports.charts.lines import LineSeries, paint_line_chart
from desktop.reports.charts.report_charts import trend_lines, week_label
from desktop.reports.service import ReportService

STYLE = ChartStyle(background="#ffffff")
WIDTH, HEIGHT = 600, 240


def _paint(paint: object, *, dots_per_inch: int = 96) -> QImage:
    image = QImage(WIDTH, HEIGHT, QImage.Format.Format_ARGB32)
    image.setDotsPerMeterX(round(dots_per_inch / 0.0254))
    image.setDotsPerMeterY(round(dots_per_inch / 0.0254))
    image.fill(QColor("#ffffff"))
    painter = QPainter(image)
    try:
        paint(painter, QRectF(0, 0, WIDTH, HEIGHT))  # type: ignore[operator]
    finally:
        painter.end()
    return image


def _columns_with(image: QImage, color: str) -> list[int]:
    wanted = QColor(color).rgb()
    return [
        x
        for x in range(image.width())
        if any(image.pixel(x, y) == wanted for y in range(image.height()))
    ]


def _height_of_column(image: QImage, x: int, color: str) -> int:
    wanted = QColor(color).rgb()
    return sum(1 for y in range(image.height()) if image.pixel(x, y) == wanted)


def test_bars_are_drawn_in_proportion_to_their_values() -> None:
    series = BarSeries(("a", "b", "c", "d"), (1.0, 0.0, 4.0, 2.0))
    image = _paint(lambda p, r: paint_bar_chart(p, r, series, STYLE))
    columns = _columns_with(image, STYLE.palette[0])
    assert columns, "bars are painted in the palette's first colour"
    runs = [c for i, c in enumerate(columns) if i == 0 or columns[i - 1] != c - 1]
    assert len(runs) == 3  # the zero bar is not drawn
    heights = [_height_of_column(image, start + 2, STYLE.palette[0]) for start in runs]
    # Edges are antialiased, so compare ratios rather than exact pixel counts.
    assert 3.8 < heights[1] / heights[0] < 4.2 and 1.9 < heights[2] / heights[0] < 2.1


def test_an_all_zero_series_shows_its_message_and_no_bars() -> None:
    series = BarSeries(("a", "b"), (0.0, 0.0))
    image = _paint(lambda p, r: paint_bar_chart(p, r, series, STYLE, empty_message="Nothing"))
    assert _columns_with(image, STYLE.palette[0]) == []
    assert _columns_with(image, STYLE.muted), "the message is written in the muted colour"


def test_each_line_has_its_own_colour() -> None:
    lines = (
        LineSeries("first", (0.2, 0.4, None, 0.9)),
        LineSeries("second", (0.8, None, 0.5, 0.1)),
    )
    image = _paint(lambda p, r: paint_line_chart(p, r, ("w1", "w2", "w3", "w4"), lines, STYLE))
    assert _columns_with(image, STYLE.palette[0]) and _columns_with(image, STYLE.palette[1])
    assert not _columns_with(image, STYLE.palette[2])


def test_text_grows_with_the_device_resolution() -> None:
    series = BarSeries(("a",), (1.0,))
    low = _paint(lambda p, r: paint_bar_chart(p, r, series, STYLE), dots_per_inch=72)
    high = _paint(lambda p, r: paint_bar_chart(p, r, series, STYLE), dots_per_inch=144)
    # A lone bar fills the plot; what it leaves of the height is the room for text, which is
    # set in points: twice the resolution, about twice the room.
    middle = WIDTH // 2
    room_low = HEIGHT - _height_of_column(low, middle, STYLE.palette[0])
    room_high = HEIGHT - _height_of_column(high, middle, STYLE.palette[0])
    assert room_low > 10 and 1.7 * room_low < room_high < 2.3 * room_low


def test_round_ticks() -> None:
    assert round_ticks(3) == [0, 1, 2, 3]
    assert round_ticks(37) == [0, 10, 20, 30, 40]
    assert round_ticks(0) == [0, 1]
    assert round_ticks(0.5, target=5) == pytest.approx([0, 0.1, 0.2, 0.3, 0.4, 0.5])


def test_every_report_chart_paints_through_the_service(
    report: ProgressReport, service: ReportService
) -> None:
    for kind in ChartKind:
        image = _paint(lambda p, r, kind=kind: service.paint_chart(kind, p, r, report, STYLE))
        painted = sum(
            1
            for x in range(0, WIDTH, 3)
            for y in range(0, HEIGHT, 3)
            if image.pixel(x, y) != QColor("#ffffff").rgb()
        )
        assert painted > 100, kind


def test_a_week_on_a_time_axis_is_named_by_its_monday() -> None:
    assert week_label(date(2026, 11, 30)) == "wk Nov 30"


def test_trend_lines_name_each_topic_by_its_own_heading(report: ProgressReport) -> None:
    labels, lines = trend_lines(report)
    assert labels
    assert {line.name for line in lines} == {"Lists", "Dicts", "2 Concurrency"}
