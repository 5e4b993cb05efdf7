"""What the printable report says, section by section, as blocks for the PDF and HTML writers:
the title and the first sections here, the later ones in `quality_sections`."""

from __future__ import annotations

from desktop import APP_NAME
from desktop.core.reports.durations import duration
from desktop.core.reports.report import ProgressReport
from desktop.core.reports.service import ChartKind
from desktop.reports.blocks import (
    Block,
    Chart,
    Column,
    Document,
    Figures,
    Heading,
    Paragraph,
    Table,
    map_texts,
)
from desktop.reports.charts.report_charts import chart_title
from desktop.reports.formatting import (
    count,
    day,
    days,
    moment,
    percent,
    scope_text,
    without_bidi_controls,
)
from desktop.reports.quality_sections import (
    grading,
    mock_interviews,
    quality,
    report_zone,
    revisit,
)


def overview(report: ProgressReport) -> list[Block]:
    activity = report.activity
    blocks: list[Block] = [Heading("Overview")]
    if not report.has_activity:
        blocks.append(
            Paragraph(
                "No activity yet: there are no reviews in this period. Answer a few questions "
                "and export again to see your progress."
            )
        )
    blocks += [
        Figures(
            (
                ("Reviews", count(activity.reviews)),
                ("Time spent", duration(activity.duration_ms)),
                ("Active days", f"{activity.active_days} of {len(activity.days)}"),
                ("Current streak", days(activity.current_streak)),
                ("Longest streak", days(activity.longest_streak)),
                ("Mock interviews", count(activity.mock_interviews)),
                ("Retention", percent(report.mastery.retention)),
                ("Average grade", percent(report.quality.average_score)),
            )
        ),
        Chart(ChartKind.REVIEWS_PER_DAY, chart_title(ChartKind.REVIEWS_PER_DAY, report)),
    ]
    return blocks


def mastery(report: ProgressReport) -> list[Block]:
    m = report.mastery
    rows = tuple(
        (
            t.topic,
            count(t.questions),
            count(t.reviews),
            percent(t.retention),
            percent(t.average_score),
            percent(t.retrievability),
        )
        for t in report.topics
    )
    return [
        Heading("Mastery", new_page=False),  # page 1 has room after the overview
        Figures(
            (
                ("Retention", percent(m.retention)),
                ("Recall probability now", percent(m.retrievability)),
                ("Active questions", count(m.active_questions)),
                ("Overdue", count(m.overdue)),
                ("New", count(m.new)),
                ("Learning", count(m.learning)),
                ("Mature", count(m.mature)),
                ("Suspended / retired", f"{count(m.suspended)} / {count(m.retired)}"),
            )
        ),
        Chart(ChartKind.QUESTION_STATES, chart_title(ChartKind.QUESTION_STATES, report), 0.3),
        Chart(ChartKind.DUE_FORECAST, chart_title(ChartKind.DUE_FORECAST, report)),
        Heading("Retention by topic", 2),
        Table(
            (
                Column("Topic", 3.2),
                Column("Questions", 1, True),
                Column("Reviews", 1, True),
                Column("Retention", 1, True),
                Column("Avg grade", 1, True),
                Column("Recall now", 1, True),
            ),
            rows,
            "No questions in scope.",
        ),
    ]


def report_document(report: ProgressReport) -> Document:
    period = report.period
    subtitle = (
        f"{day(period.start)} to {day(period.end)} · {scope_text(report.scope)}",
        f"Generated {moment(report.generated_at, report_zone(report))} ({period.timezone}) · "
        f"{APP_NAME} {report.app_version}",
    )
    blocks = (
        overview(report)
        + mastery(report)
        + quality(report)
        + mock_interviews(report)
        + grading(report)
        + revisit(report)
    )
    document = Document(f"{APP_NAME} progress report", subtitle, tuple(blocks))
    # The one place both writers take their text from: what was written prints in its order.
    return map_texts(document, without_bidi_controls)
