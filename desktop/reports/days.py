"""Study days for statistics: which day a review belongs to, and where a day starts.

Gives the same answer as `desktop.core.review.study_day.study_day` (a test checks them against
each other across DST changes) but in one subtraction per review, which matters for a year of
reviews.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta, tzinfo


@dataclass(frozen=True)
class StudyCalendar:
    """Days in `zone` that begin at `day_starts_at_hour` o'clock (wall-clock time)."""

    zone: tzinfo
    day_starts_at_hour: int = 0
    # A report asks for the day of each review several times (activity, streaks, trends).
    _known: dict[datetime, date] = field(
        default_factory=dict, init=False, repr=False, compare=False, hash=False
    )

    def day_of(self, moment: datetime) -> date:
        known = self._known.get(moment)
        if known is None:
            # Subtracting hours from an aware datetime is wall-clock arithmetic in its zone, so
            # 01:30 with the day starting at 4 lands on the evening before, DST or not.
            local = moment.astimezone(self.zone)
            known = self._known[moment] = (local - timedelta(hours=self.day_starts_at_hour)).date()
        return known

    def day_start(self, day: date) -> datetime:
        """The UTC moment `day` begins."""
        return datetime.combine(day, time(self.day_starts_at_hour), tzinfo=self.zone).astimezone(
            UTC
        )

    def zone_name(self, moment: datetime) -> str:
        key = getattr(self.zone, "key", None)
        return str(key) if key else moment.astimezone(self.zone).tzname() or "UTC"


def week_start(day: date) -> date:
    """The Monday of `day`'s week."""
    return day - timedelta(days=day.weekday())


def month_start(day: date) -> date:
    return day.replace(day=1)
