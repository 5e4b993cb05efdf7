"""A progress report as plain data: what the statistics screen shows and every export writes.

`desktop.reports` computes it from a `History`; the UI reads it without importing `reports`.
Ratios are fractions in [0, 1]; None means "nothing to measure" (no reviews), never zero.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from desktop.core.reports.history import History, HistoryScope

REPORT_SCHEMA_VERSION = 1
# A question is mature once its FSRS stability (the interval at which recall falls to 90%)
# reaches three weeks, the threshold Anki uses for "mature" intervals.
MATURE_STABILITY_DAYS = 21.0
FORECAST_DAYS = 30
WEAKEST_QUESTIONS = 10
STRONGEST_TOPICS = 5
STRONG_TOPIC_MIN_GRADED = 3


@dataclass(frozen=True)
class ReportRequest:
    """What the learner asked for: inclusive study days (None: from the first review / today)."""

    start: date | None = None
    end: date | None = None
    scope: HistoryScope = field(default_factory=HistoryScope)


@dataclass(frozen=True)
class ReportPeriod:
    """The resolved period: inclusive study days in `timezone`, starting at the given hour."""

    start: date
    end: date
    timezone: str
    day_starts_at_hour: int = 0

    @property
    def days(self) -> tuple[date, ...]:
        count = (self.end - self.start).days + 1
        return tuple(self.start + timedelta(days=offset) for offset in range(count))


@dataclass(frozen=True)
class DayActivity:
    day: date
    reviews: int
    duration_ms: int


@dataclass(frozen=True)
class Activity:
    """Reviews per study day (every day of the period, zeros included) and their totals.

    The current streak counts consecutive days with a review up to the period's last day (or
    the day before, while that last day has no review yet).
    """

    days: tuple[DayActivity, ...]
    reviews: int
    duration_ms: int
    active_days: int
    current_streak: int
    longest_streak: int
    mock_interviews: int


@dataclass(frozen=True)
class TopicStanding:
    """One topic's standing: retention and scores in the period, retrievability now."""

    topic: str
    questions: int
    reviews: int
    recalled: int
    retention: float | None
    graded: int
    average_score: float | None
    retrievability: float | None


@dataclass(frozen=True)
class DueDay:
    day: date
    due: int


@dataclass(frozen=True)
class Mastery:
    """Retention in the period; the cards' state now (active questions only).

    `retention` is the share of reviews rated above Again. `retrievability` is the mean FSRS
    probability of recall now over questions reviewed at least once. Mature questions have a
    stability of at least `MATURE_STABILITY_DAYS`; learning ones were seen but are not mature.
    `forecast[0]` includes everything overdue.
    """

    reviews: int
    recalled: int
    retention: float | None
    retrievability: float | None
    new: int
    learning: int
    mature: int
    suspended: int
    retired: int
    overdue: int
    forecast: tuple[DueDay, ...]

    @property
    def active_questions(self) -> int:
        return self.new + self.learning + self.mature


@dataclass(frozen=True)
class ScorePoint:
    """Average grade of the answers given in the week or month starting on `start`."""

    start: date
    average_score: float
    graded: int


@dataclass(frozen=True)
class TopicTrend:
    topic: str
    points: tuple[ScorePoint, ...]


@dataclass(frozen=True)
class MissedKeyPoint:
    text: str
    missed: int
    partial: int


@dataclass(frozen=True)
class QuestionScore:
    question_id: int
    topic: str
    prompt: str
    graded: int
    average_score: float
    last_score: float | None
    missed_key_points: tuple[MissedKeyPoint, ...]
    reference: str = ""


@dataclass(frozen=True)
class Overrides:
    """Ratings the learner changed from the grader's suggestion, by direction."""

    suggested: int
    overridden: int
    up: int
    down: int


@dataclass(frozen=True)
class AnswerQuality:
    graded: int
    average_score: float | None
    trend_bucket: str
    trends: tuple[TopicTrend, ...]
    weakest_questions: tuple[QuestionScore, ...]
    strongest_topics: tuple[TopicStanding, ...]
    overrides: Overrides


@dataclass(frozen=True)
class MockInterviewResult:
    session_id: int
    started_at: datetime
    finished_at: datetime | None
    questions: int
    graded: int
    average_score: float | None
    duration_ms: int
    missed_key_points: tuple[MissedKeyPoint, ...]


@dataclass(frozen=True)
class ModelUsage:
    model: str
    graded: int
    average_score: float | None


@dataclass(frozen=True)
class GradingSummary:
    """Who graded the answers: each model's count (`graded`: judged by a model), the answers
    scored by word matching alone (no usable model verdict), and what was ungraded or
    self-rated."""

    reviews: int
    graded: int
    ungraded: int
    self_rated: int
    by_model: tuple[ModelUsage, ...]
    word_matching: int = 0


@dataclass(frozen=True)
class ProgressReport:
    """Everything a report shows. `history` holds the records it was computed from (for the
    per-review CSV); the other exports leave it out."""

    generated_at: datetime
    app_version: str
    period: ReportPeriod
    scope: HistoryScope
    activity: Activity
    mastery: Mastery
    topics: tuple[TopicStanding, ...]
    quality: AnswerQuality
    mock_interviews: tuple[MockInterviewResult, ...]
    grading: GradingSummary
    history: History = field(default=History(), repr=False, compare=False)
    schema_version: int = REPORT_SCHEMA_VERSION

    @property
    def has_activity(self) -> bool:
        return self.activity.reviews > 0
