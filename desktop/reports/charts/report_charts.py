"""The report's charts: which numbers of a `ProgressReport` each one shows, and its title.

The PDF, the HTML export and the statistics screen all paint through `paint_report_chart`, so a
chart looks the same everywhere.
"""

from __future__ import annotations

from datetime import date, timedelta

from PySide6.QtCore import QRectF
from PySide6.QtGui import QPainter

from desktop.core.bank.questions import TOPIC_SEPARATOR
from desktop.core.reports.report import ProgressReport
from desktop.core.reports.service import ChartKind, ChartStyle
from desktop.reports.charts.bars import BarSeries, paint_bar_chart
from desktop.reports.charts.lines import LineSeries, paint_line_chart
from desktop.reports.days import week_start
from desktop.reports.formatting import short_day, without_bidi_controls

# Past three months a bar per day gets too thin to read; bars then stand for weeks.
DAILY_BARS_MAX_DAYS = 92
TREND_LINES_SHOWN = 6


_FROM_MONDAY = {"day": "", "week": " (from Monday)", "month": ""}


def weekly_reviews(report: ProgressReport) -> bool:
    return len(report.activity.days) > DAILY_BARS_MAX_DAYS


def chart_title(kind: ChartKind, report: ProgressReport) -> str:
    if kind is ChartKind.REVIEWS_PER_DAY:
        return "Reviews per week (from Monday)" if weekly_reviews(report) else "Reviews per day"
    if kind is ChartKind.DUE_FORECAST:
        return "Reviews due in the next 30 days (today includes overdue)"
    if kind is ChartKind.SCORE_BY_TOPIC:
        shown = min(len(report.quality.trends), TREND_LINES_SHOWN)
        per = report.quality.trend_bucket
        if len(report.quality.trends) > TREND_LINES_SHOWN:
            return f"Average grade per {per}{_FROM_MONDAY[per]}, the {shown} most practised topics"
        return f"Average grade per {per}{_FROM_MONDAY[per]} and topic"
    return "Questions by stage (active questions)"


def _reviews_series(report: ProgressReport, style: ChartStyle) -> BarSeries:
    days = report.activity.days
    if not weekly_reviews(report):
        return BarSeries(
            tuple(short_day(d.day) for d in days), tuple(float(d.reviews) for d in days)
        )
    weeks: dict[date, int] = {}
    for day in days:
        start = week_start(day.day)
        weeks[start] = weeks.get(start, 0) + day.reviews
    return BarSeries(tuple(week_label(w) for w in weeks), tuple(float(v) for v in weeks.values()))


def _forecast_series(report: ProgressReport, style: ChartStyle) -> BarSeries:
    forecast = report.mastery.forecast
    labels = tuple("Today" if i == 0 else short_day(d.day) for i, d in enumerate(forecast))
    colors = (style.palette[3],) + (style.palette[0],) * max(len(forecast) - 1, 0)
    return BarSeries(labels, tuple(float(d.due) for d in forecast), colors=colors)


def _stage_series(report: ProgressReport, style: ChartStyle) -> BarSeries:
    mastery = report.mastery
    return BarSeries(
        ("New", "Learning", "Mature"),
        (float(mastery.new), float(mastery.learning), float(mastery.mature)),
        colors=(style.axis, style.palette[3], style.palette[2]),
        show_values=True,
    )


def trend_lines(report: ProgressReport) -> tuple[tuple[str, ...], tuple[LineSeries, ...]]:
    """The grade-over-time chart's axis labels and one line per topic, named by its heading."""
    trends = report.quality.trends[:TREND_LINES_SHOWN]
    bucket = report.quality.trend_bucket
    starts = _every_bucket({point.start for trend in trends for point in trend.points}, bucket)
    labels = tuple(_bucket_label(s, bucket) for s in starts)
    lines = []
    for trend in trends:
        by_start = {point.start: point.average_score for point in trend.points}
        # The topic's own name (its last heading): the path before it is the same for many.
        name = trend.topic.split(TOPIC_SEPARATOR)[-1] or trend.topic
        series = tuple(by_start.get(s) for s in starts)
        lines.append(LineSeries(without_bidi_controls(name), series))
    return labels, tuple(lines)


def week_label(monday: date) -> str:
    """A week on a time axis, named by its Monday: "wk Nov 30" (a bare "Nov 30" reads as a
    day)."""
    return f"wk {short_day(monday)}"


def _bucket_label(start: date, bucket: str) -> str:
    if bucket == "month":
        return start.strftime("%b %Y")
    return week_label(start) if bucket == "week" else short_day(start)


def _every_bucket(starts: set[date], bucket: str) -> list[date]:
    """All bucket starts from the first to the last, so that quiet weeks keep their place on
    the time axis instead of being skipped."""
    if not starts:
        return []
    current, last = min(starts), max(starts)
    every = []
    while current <= last:
        every.append(current)
        if bucket == "month":
            current = (current + timedelta(days=32)).replace(day=1)
        else:
            current += timedelta(days=7 if bucket == "week" else 1)
    return every


def paint_report_chart(
    kind: ChartKind, painter: QPainter, rect: QRectF, report: ProgressReport, style: ChartStyle
) -> None:
    """Paints the chart `kind` of `report` into `rect` on `painter` (any paint device)."""
    if kind is ChartKind.SCORE_BY_TOPIC:
        labels, lines = trend_lines(report)
        paint_line_chart(
            painter, rect, labels, lines, style, empty_message="No graded answers in this period"
        )
    elif kind is ChartKind.REVIEWS_PER_DAY:
        paint_bar_chart(
            painter,
            rect,
            _reviews_series(report, style),
            style,
            empty_message="No reviews in this period yet",
        )
    elif kind is ChartKind.DUE_FORECAST:
        paint_bar_chart(
            painter,
            rect,
            _forecast_series(report, style),
            style,
            empty_message="Nothing due in the next 30 days",
        )
    else:
        paint_bar_chart(
            painter,
            rect,
            _stage_series(report, style),
            style,
            empty_message="No questions in the bank yet",
        )
