"""Builds a `ProgressReport`: resolves the period, reads the history once, computes each section."""

from __future__ import annotations

from datetime import datetime, timedelta

from desktop import __version__
from desktop.core.reports.history import History, HistoryQuery, HistoryScope, HistorySource
from desktop.core.reports.report import ProgressReport, ReportPeriod, ReportRequest
from desktop.core.reports.service import ReportRequestError
from desktop.reports.activity import activity
from desktop.reports.days import StudyCalendar
from desktop.reports.mastery import FSRS_DEFAULT_DECAY, first_day, mastery, topic_summaries
from desktop.reports.quality import answer_quality
from desktop.reports.sessions import grading_summary, mock_interviews


def _check_scope_matches(scope: HistoryScope, history: History) -> None:
    """A filter that matches nothing is a typo, not an empty report: say what there is."""
    paths = sorted({topic for _, topic in history.topics}, key=str.casefold)
    for wanted in scope.topics:
        if not any(scope.matches_topic(wanted, path) for path in paths):
            known = "; ".join(paths[:20]) + (" ..." if len(paths) > 20 else "")
            raise ReportRequestError(
                f"No topic matches {wanted!r}.",
                details=f"Topics in the bank: {known}" if paths else "The bank has no questions.",
            )
    if scope.decks and not history.questions:
        decks = sorted({deck for deck, _ in history.topics}, key=str.casefold)
        raise ReportRequestError(
            f"No questions in deck {', '.join(map(repr, scope.decks))} with these filters.",
            details=f"Decks: {', '.join(decks)}" if decks else "The bank has no decks.",
        )


def build_report(
    source: HistorySource,
    request: ReportRequest,
    *,
    now: datetime,
    calendar: StudyCalendar,
    decay: float = FSRS_DEFAULT_DECAY,
) -> ProgressReport:
    """The report for `request` as of `now` (an aware datetime)."""
    today = calendar.day_of(now)
    end = request.end or today
    if request.start is not None and request.start > end:
        raise ReportRequestError(
            f"The period starts on {request.start} but ends earlier, on {end}: swap the dates."
        )
    history = source.load_history(
        HistoryQuery(
            scope=request.scope,
            since=None if request.start is None else calendar.day_start(request.start),
            until=calendar.day_start(end + timedelta(days=1)),
        )
    )
    _check_scope_matches(request.scope, history)
    start = request.start or min(first_day(history.reviews, calendar) or end, end)
    period = ReportPeriod(start, end, calendar.zone_name(now), calendar.day_starts_at_hour)
    return compute_report(history, period, request.scope, now=now, calendar=calendar, decay=decay)


def compute_report(
    history: History,
    period: ReportPeriod,
    scope: HistoryScope,
    *,
    now: datetime,
    calendar: StudyCalendar,
    decay: float = FSRS_DEFAULT_DECAY,
) -> ProgressReport:
    """Every section of the report from records already read."""
    reviews = history.reviews
    questions = history.questions
    interviews = mock_interviews(history.sessions, reviews, scope)
    topics = topic_summaries(reviews, questions, now, decay)
    return ProgressReport(
        generated_at=now.astimezone(calendar.zone),
        app_version=__version__,
        period=period,
        scope=scope,
        activity=activity(reviews, history.activity_times, period, calendar, len(interviews)),
        mastery=mastery(reviews, questions, now, calendar, decay),
        topics=topics,
        quality=answer_quality(reviews, questions, topics, period, calendar),
        mock_interviews=interviews,
        grading=grading_summary(reviews),
        history=history,
    )
