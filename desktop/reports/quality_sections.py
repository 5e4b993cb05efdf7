"""The later sections of the printable report: answer quality, mock interviews, grading, and
the questions to revisit."""

from __future__ import annotations

from datetime import tzinfo

from desktop.core.reports.durations import duration
from desktop.core.reports.report import (
    MATURE_STABILITY_DAYS,
    STRONG_TOPIC_MIN_GRADED,
    GradingSummary,
    ProgressReport,
)
from desktop.core.reports.service import ChartKind
from desktop.core.review.rating import RatingThresholds
from desktop.reports.blocks import (
    Block,
    Chart,
    Column,
    Figures,
    Heading,
    Markdown,
    Paragraph,
    Table,
)
from desktop.reports.charts.report_charts import chart_title
from desktop.reports.formatting import NOTHING, clipped, count, moment, percent, times
from desktop.reports.quality import STRONG_FROM

# The JSON lists five per interview; three keep a printed row readable.
MISSED_SHOWN_PER_INTERVIEW = 3
# The weak questions printed in full at the end of the report: at most five, each averaging a
# grade that suggests Hard or Again.
REVISIT_SHOWN = 5
REVISIT_BELOW = RatingThresholds().hard_below


def report_zone(report: ProgressReport) -> tzinfo:
    """The learner's zone, carried by the report's generation time."""
    zone = report.generated_at.tzinfo
    assert zone is not None, "reports carry an aware generation time"
    return zone


def quality(report: ProgressReport) -> list[Block]:
    q = report.quality
    weakest = tuple(
        (
            str(rank),
            clipped(w.prompt, 110),
            w.topic,
            count(w.graded),
            percent(w.average_score),
            "; ".join(f"{k.text} ({k.missed + k.partial}×)" for k in w.missed_key_points)
            or NOTHING,
        )
        for rank, w in enumerate(q.weakest_questions, start=1)
    )
    strongest = tuple(
        (t.topic, count(t.graded), percent(t.average_score), percent(t.retention))
        for t in q.strongest_topics
    )
    o = q.overrides
    return [
        Heading("Answer quality", new_page=False),
        Figures(
            (
                ("Graded answers", count(q.graded)),
                ("Average grade", percent(q.average_score)),
                ("Overridden up", count(o.up)),
                ("Overridden down", count(o.down)),
            )
        ),
        Chart(ChartKind.SCORE_BY_TOPIC, chart_title(ChartKind.SCORE_BY_TOPIC, report), 0.42),
        Paragraph(
            f"You changed the suggested rating {times(o.overridden)} out of "
            f"{o.suggested:,} suggestions: {times(o.up)} to a higher rating, "
            f"{times(o.down)} to a lower one."
        ),
        Heading("The ten weakest questions", 2),
        Table(
            (
                Column("#", 0.35, True),
                Column("Question", 3.4),
                Column("Topic", 1.8),
                Column("Graded", 0.8, True),
                Column("Avg", 0.7, True),
                Column("Most often missed or partial", 3.0),
            ),
            weakest,
            "No graded answers in this period.",
        ),
        Heading("Strongest topics", 2),
        Table(
            (
                Column("Topic", 3.5),
                Column("Graded", 1, True),
                Column("Avg grade", 1, True),
                Column("Retention", 1, True),
            ),
            strongest,
            f"No topic has {STRONG_TOPIC_MIN_GRADED} graded answers averaging "
            f"{percent(STRONG_FROM)} or better in this period yet.",
        ),
    ]


def mock_interviews(report: ProgressReport) -> list[Block]:
    zone = report_zone(report)
    rows = tuple(
        (
            moment(m.started_at, zone),
            count(m.questions),
            percent(m.average_score),
            duration(m.duration_ms),
            "; ".join(
                f"{k.text} ({k.missed}×)"
                for k in m.missed_key_points[:MISSED_SHOWN_PER_INTERVIEW]
                if k.missed
            )
            or NOTHING,
        )
        for m in report.mock_interviews
    )
    return [
        Heading("Mock interviews", new_page=False),
        Table(
            (
                Column("Started", 1.6),
                Column("Questions", 1, True),
                Column("Score", 0.8, True),
                Column("Time", 0.9, True),
                Column("Missed key points", 4),
            ),
            rows,
            "No mock interviews in this period.",
        ),
    ]


def grading(report: ProgressReport) -> list[Block]:
    g = report.grading
    rows = tuple((m.model, count(m.graded), percent(m.average_score)) for m in g.by_model)
    return [
        Heading("How the answers were graded", new_page=False),
        Figures(
            (
                ("Answers", count(g.reviews)),
                ("Graded by a model", count(g.graded)),
                ("Word matching only", count(g.word_matching)),
                ("Ungraded", count(g.ungraded)),
                ("Self-rated", count(g.self_rated)),
            )
        ),
        Paragraph(_grading_sentence(g)),
        Table(
            (Column("Model", 4), Column("Answers graded", 1.3, True), Column("Avg grade", 1, True)),
            rows,
            "No answer was graded by a model in this period.",
        ),
        Heading("About these numbers", 2),
        Paragraph(
            "Retention is the share of reviews rated Hard, Good or Easy (not Again). Recall "
            "probability is the FSRS retrievability R = (1 + F·t/S)^−d of each reviewed "
            "question now (t: days since its last review, S: its stability). Mature questions "
            f"have a stability of at least {MATURE_STABILITY_DAYS:.0f} days; learning ones were "
            "seen but are not mature yet. Grades are averages of the model's scores. "
            f"Days run from {report.period.day_starts_at_hour:02d}:00 to "
            f"{report.period.day_starts_at_hour:02d}:00 ({report.period.timezone}).",
            note=True,
        ),
    ]


def _grading_sentence(g: GradingSummary) -> str:
    parts = []
    if g.graded:
        parts.append(
            f"{count(g.graded)} grade(s) came from a local model's verdicts combined with "
            "key-point evidence; a model can be wrong."
        )
    if g.word_matching:
        parts.append(
            f"{count(g.word_matching)} came from word matching alone: no model verdict could be "
            "used (no model, a model that earned no weight, or output it could not read)."
        )
    parts.append(
        "Ungraded answers are those that could not be graded (you rated them yourself); "
        "self-rated answers were given without grading."
    )
    return " ".join(parts)


def revisit(report: ProgressReport) -> list[Block]:
    """The weak questions in full (graded below Good on average), with the reference answer
    as the notes have it."""
    weak = [
        question
        for question in report.quality.weakest_questions
        if question.average_score < REVISIT_BELOW
    ][:REVISIT_SHOWN]
    if not report.quality.weakest_questions:
        return []
    blocks: list[Block] = [Heading("Questions to revisit")]
    if not weak:
        blocks.append(
            Paragraph(
                f"No question averaged below {percent(REVISIT_BELOW)} in this period: nothing "
                "to revisit."
            )
        )
        return blocks
    blocks.append(
        Paragraph(
            f"The questions you answered below {percent(REVISIT_BELOW)} on average in this "
            "period (a grade that suggests Hard or Again), weakest first, with the reference "
            "answer from your notes.",
            note=True,
        )
    )
    for rank, question in enumerate(weak, start=1):
        blocks += [
            Heading(f"Question {rank} · {question.topic or 'no topic'}", 2),
            Paragraph(
                f"Average grade {percent(question.average_score)} over "
                f"{count(question.graded)} graded answer(s).",
                note=True,
            ),
            Markdown(question.prompt),
            Paragraph("Reference answer", note=True),
            Markdown(question.reference or "(no reference answer)"),
        ]
        if question.missed_key_points:
            missed = "; ".join(point.text for point in question.missed_key_points)
            blocks.append(Paragraph(f"Missed most often: {missed}", note=True))
    return blocks
