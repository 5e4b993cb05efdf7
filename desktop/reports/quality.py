"""Answer quality: grades per topic over time, weakest questions, strongest topics, overrides.

Only answers the grader scored count here; ungraded and self-rated answers have no score (the
grading summary says how many there were).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from datetime import date

from desktop.core.grading.grades import Verdict
from desktop.core.reports.history import QuestionRecord, ReviewRecord
from desktop.core.reports.report import (
    STRONG_TOPIC_MIN_GRADED,
    STRONGEST_TOPICS,
    WEAKEST_QUESTIONS,
    AnswerQuality,
    MissedKeyPoint,
    Overrides,
    QuestionScore,
    ReportPeriod,
    ScorePoint,
    TopicStanding,
    TopicTrend,
)
from desktop.core.review.rating import RatingThresholds
from desktop.reports.days import StudyCalendar, month_start, week_start
from desktop.reports.mastery import mean

# Three weeks read well day by day, twelve week by week; longer periods month by month.
DAILY_TREND_MAX_DAYS = 21
WEEKLY_TREND_MAX_DAYS = 84
MISSED_KEY_POINTS_SHOWN = 3


def missed_key_points(reviews: Iterable[ReviewRecord], limit: int) -> tuple[MissedKeyPoint, ...]:
    """The key points most often missing (then partly covered) in these answers."""
    missed: Counter[str] = Counter()
    partial: Counter[str] = Counter()
    for review in reviews:
        for point in review.key_points:
            if point.verdict is Verdict.MISSING:
                missed[point.text] += 1
            elif point.verdict is Verdict.PARTIAL:
                partial[point.text] += 1
    ranked = sorted(set(missed) | set(partial), key=lambda t: (-missed[t], -partial[t], t))
    return tuple(MissedKeyPoint(text, missed[text], partial[text]) for text in ranked[:limit])


def trend_bucket(period: ReportPeriod) -> str:
    """The step of the grade-over-time series for this period: day, week or month."""
    length = len(period.days)
    if length <= DAILY_TREND_MAX_DAYS:
        return "day"
    return "week" if length <= WEEKLY_TREND_MAX_DAYS else "month"


def _bucket_start(bucket: str) -> Callable[[date], date]:
    if bucket == "day":
        return lambda day: day
    return week_start if bucket == "week" else month_start


def topic_trends(
    graded: Sequence[ReviewRecord], bucket: str, calendar: StudyCalendar
) -> tuple[TopicTrend, ...]:
    """Average score per topic and day, week or month; topics with the most grades first."""
    start_of = _bucket_start(bucket)
    scores: dict[str, dict[date, list[float]]] = defaultdict(lambda: defaultdict(list))
    for review in graded:
        assert review.score is not None
        scores[review.topic][start_of(calendar.day_of(review.reviewed_at))].append(review.score)
    trends = []
    for topic, buckets in scores.items():
        points = tuple(
            ScorePoint(start, sum(values) / len(values), len(values))
            for start, values in sorted(buckets.items())
        )
        trends.append(TopicTrend(topic, points))
    trends.sort(key=lambda t: (-sum(p.graded for p in t.points), t.topic.casefold()))
    return tuple(trends)


def weakest_questions(
    graded: Sequence[ReviewRecord], questions: Sequence[QuestionRecord]
) -> tuple[QuestionScore, ...]:
    """The questions with the lowest average score in the period (most answered first on ties)."""
    by_question: dict[int, list[ReviewRecord]] = defaultdict(list)
    for review in graded:
        by_question[review.question_id].append(review)
    known = {q.id: q for q in questions}
    rows = []
    for question_id, answers in by_question.items():
        scores = [a.score for a in answers if a.score is not None]
        rows.append(
            QuestionScore(
                question_id=question_id,
                topic=answers[0].topic,
                prompt=known[question_id].prompt if question_id in known else "",
                reference=known[question_id].reference if question_id in known else "",
                graded=len(scores),
                average_score=sum(scores) / len(scores),
                last_score=scores[-1],
                missed_key_points=missed_key_points(answers, MISSED_KEY_POINTS_SHOWN),
            )
        )
    rows.sort(key=lambda q: (q.average_score, -q.graded, q.question_id))
    return tuple(rows[:WEAKEST_QUESTIONS])


# The lowest average a strong topic has: the score from which a grade suggests Good.
STRONG_FROM = RatingThresholds().hard_below


def strongest_topics(summaries: Iterable[TopicStanding]) -> tuple[TopicStanding, ...]:
    """Topics with enough graded answers to judge whose average is Good or better (a grade
    that suggests Good), best first: a topic at 27% is never called strong."""
    candidates = [
        s
        for s in summaries
        if s.graded >= STRONG_TOPIC_MIN_GRADED
        and s.average_score is not None
        and s.average_score >= STRONG_FROM
    ]
    candidates.sort(key=lambda s: (-(s.average_score or 0.0), -(s.retention or 0.0), s.topic))
    return tuple(candidates[:STRONGEST_TOPICS])


def overrides(reviews: Iterable[ReviewRecord]) -> Overrides:
    suggested = overridden = up = down = 0
    for review in reviews:
        if review.suggested_rating is not None:
            suggested += 1
        if review.overridden:
            overridden += 1
        direction = review.override_direction
        up += direction > 0
        down += direction < 0
    return Overrides(suggested=suggested, overridden=overridden, up=up, down=down)


def answer_quality(
    reviews: Sequence[ReviewRecord],
    questions: Sequence[QuestionRecord],
    summaries: Sequence[TopicStanding],
    period: ReportPeriod,
    calendar: StudyCalendar,
) -> AnswerQuality:
    graded = [review for review in reviews if review.score is not None]
    bucket = trend_bucket(period)
    return AnswerQuality(
        graded=len(graded),
        average_score=mean(r.score for r in graded if r.score is not None),
        trend_bucket=bucket,
        trends=topic_trends(graded, bucket, calendar),
        weakest_questions=weakest_questions(graded, questions),
        strongest_topics=strongest_topics(summaries),
        overrides=overrides(reviews),
    )
