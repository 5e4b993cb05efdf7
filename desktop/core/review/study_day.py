"""The learner's study day: when "today" starts and ends, in UTC, for a timezone and an hour.

Like Anki's "next day starts at", a day does not have to begin at midnight: with the boundary at
4 o'clock, a review at 01:30 local time still belongs to the evening before. Everything stored is
UTC; only the boundary itself is computed in local time, so a learner who travels (changes the
timezone setting) gets days that follow the clock on the wall.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from desktop.core.errors import VivaError

LOCALTIME_LINK = Path("/etc/localtime")


class TimezoneError(VivaError):
    """A timezone name the system does not know."""


def zone_named(name: str) -> tzinfo:
    """The zone for an IANA name ("Europe/Berlin"); "" means the computer's own zone."""
    if not name:
        return system_zone()
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise TimezoneError(
            f"Unknown timezone {name!r}: use an IANA name such as Europe/Berlin, or leave it "
            "empty for the computer's own timezone."
        ) from None


def system_zone() -> tzinfo:
    """The computer's zone, DST rules included where the system names it (TZ or /etc/localtime)."""
    candidates = [os.environ.get("TZ", "").lstrip(":")]
    try:
        target = str(LOCALTIME_LINK.resolve())
        if "zoneinfo/" in target:
            candidates.append(target.split("zoneinfo/", 1)[1])
    except OSError:
        pass
    for name in candidates:
        if not name:
            continue
        try:
            return ZoneInfo(name)
        except (ZoneInfoNotFoundError, ValueError):
            continue
    # A fixed offset is right today but misses the next DST change; better than nothing.
    local = datetime.now().astimezone().tzinfo
    return local if local is not None else UTC


def require_aware(moment: datetime) -> datetime:
    """`moment` in UTC; a naive datetime is a programming error (its zone would be a guess)."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError("naive datetime: use timezone-aware datetimes")
    return moment.astimezone(UTC)


@dataclass(frozen=True)
class StudyDay:
    """One study day as a half-open UTC interval [start, end)."""

    start: datetime
    end: datetime
    local_date: date

    def __contains__(self, moment: datetime) -> bool:
        return self.start <= require_aware(moment) < self.end


def _local_boundary(day: date, hour: int, zone: tzinfo) -> datetime:
    # fold=0 picks the first of two repeated hours; a skipped hour (DST gap) shifts forward.
    local = datetime.combine(day, time(hour), tzinfo=zone)
    return local.astimezone(UTC)


def study_day(moment: datetime, *, zone: tzinfo, day_starts_at_hour: int) -> StudyDay:
    """The study day that contains `moment`."""
    if not 0 <= day_starts_at_hour <= 23:
        raise ValueError("the day boundary is an hour from 0 to 23")
    moment = require_aware(moment)
    local_date = moment.astimezone(zone).date()
    start = _local_boundary(local_date, day_starts_at_hour, zone)
    if moment < start:
        local_date -= timedelta(days=1)
        start = _local_boundary(local_date, day_starts_at_hour, zone)
    end = _local_boundary(local_date + timedelta(days=1), day_starts_at_hour, zone)
    return StudyDay(start=start, end=end, local_date=local_date)
