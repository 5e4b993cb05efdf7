"""Activity statistics: reviews and time per study day, streaks, mock interviews taken."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from datetime import date, datetime, timedelta

from desktop.core.reports.history import ReviewRecord
from desktop.core.reports.report import Activity, DayActivity, ReportPeriod
from desktop.reports.days import StudyCalendar


def streaks(active_days: Iterable[date], last_day: date) -> tuple[int, int]:
    """(current, longest) runs of consecutive active days, counting days up to `last_day`.

    The current run ends on `last_day`, or on the day before while `last_day` has no activity
    yet: a streak is not broken until the day is over.
    """
    days = sorted({day for day in active_days if day <= last_day})
    longest = run = 0
    previous: date | None = None
    for day in days:
        run = run + 1 if previous is not None and day - previous == timedelta(days=1) else 1
        longest = max(longest, run)
        previous = day
    if previous is None or last_day - previous > timedelta(days=1):
        return 0, longest
    return run, longest


def activity(
    reviews: Sequence[ReviewRecord],
    activity_times: Iterable[datetime],
    period: ReportPeriod,
    calendar: StudyCalendar,
    mock_interviews: int,
) -> Activity:
    counts: Counter[date] = Counter()
    durations: Counter[date] = Counter()
    for review in reviews:
        day = calendar.day_of(review.reviewed_at)
        counts[day] += 1
        durations[day] += review.duration_ms
    days = tuple(DayActivity(day, counts[day], durations[day]) for day in period.days)
    current, longest = streaks((calendar.day_of(t) for t in activity_times), period.end)
    return Activity(
        days=days,
        reviews=len(reviews),
        duration_ms=sum(durations.values()),
        active_days=sum(1 for day in days if day.reviews),
        current_streak=current,
        longest_streak=longest,
        mock_interviews=mock_interviews,
    )
