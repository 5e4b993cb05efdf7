"""The study day: the configurable boundary hour, timezones, a timezone change, DST."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from desktop.core.review.schedule_settings import ScheduleSettings
from desktop.core.review.study_day import TimezoneError, study_day, zone_named


def utc(day: int, hour: int, minute: int = 0, month: int = 3) -> datetime:
    return datetime(2025, month, day, hour, minute, tzinfo=UTC)


def test_before_the_boundary_hour_still_belongs_to_the_day_before() -> None:
    settings = ScheduleSettings(timezone="UTC", day_starts_at_hour=4)
    late_night = settings.study_day(utc(14, 3, 59))
    assert late_night.local_date == date(2025, 3, 13)
    assert (late_night.start, late_night.end) == (utc(13, 4), utc(14, 4))
    morning = settings.study_day(utc(14, 4, 0))
    assert morning.local_date == date(2025, 3, 14)
    assert morning.start == utc(14, 4)
    assert utc(14, 3, 59) in late_night
    assert utc(14, 4) not in late_night


def test_midnight_boundary() -> None:
    day = ScheduleSettings(timezone="UTC", day_starts_at_hour=0).study_day(utc(14, 0, 0))
    assert (day.start, day.end) == (utc(14, 0), utc(15, 0))


def test_the_boundary_follows_the_learners_timezone() -> None:
    # 03:00 UTC is 22:00 the evening before in New York (UTC-4 in March after the DST switch).
    moment = utc(14, 3)
    in_utc = ScheduleSettings(timezone="UTC").study_day(moment)
    in_new_york = ScheduleSettings(timezone="America/New_York").study_day(moment)
    assert in_utc.local_date == date(2025, 3, 13)
    assert in_new_york.local_date == date(2025, 3, 13)
    assert in_new_york.start == utc(13, 8)  # 04:00 EDT
    assert in_new_york.end == utc(14, 8)
    # In Tokyo (UTC+9) the same moment is 12:00 on the 14th.
    assert ScheduleSettings(timezone="Asia/Tokyo").study_day(moment).local_date == date(2025, 3, 14)


def test_a_timezone_change_moves_today_with_the_learner() -> None:
    moment = utc(14, 12)
    before = ScheduleSettings(timezone="Europe/Berlin").study_day(moment)
    after = ScheduleSettings(timezone="America/Los_Angeles").study_day(moment)
    assert before.start == utc(14, 3)  # 04:00 CET
    assert after.start == utc(14, 11)  # 04:00 PDT
    assert after.end - after.start == timedelta(hours=24)


def test_days_across_a_dst_change_are_23_or_25_hours() -> None:
    berlin = ZoneInfo("Europe/Berlin")
    # Clocks go forward at 02:00 on 30 March and back at 03:00 on 26 October 2025.
    short = study_day(utc(29, 12), zone=berlin, day_starts_at_hour=4)
    assert short.end - short.start == timedelta(hours=23)
    after = study_day(utc(30, 12), zone=berlin, day_starts_at_hour=4)
    assert after.start == short.end
    assert after.end - after.start == timedelta(hours=24)
    autumn = study_day(utc(25, 12, month=10), zone=berlin, day_starts_at_hour=4)
    assert autumn.end - autumn.start == timedelta(hours=25)


def test_the_boundary_hour_is_checked() -> None:
    with pytest.raises(ValueError, match="0 to 23"):
        study_day(utc(14, 12), zone=UTC, day_starts_at_hour=24)


def test_unknown_timezones_get_a_clear_message() -> None:
    with pytest.raises(TimezoneError, match="IANA"):
        zone_named("Mars/Olympus_Mons")


def test_an_empty_timezone_is_the_computers_own() -> None:
    zone = zone_named("")
    moment = utc(14, 12)
    assert moment.astimezone(zone) == moment


def test_naive_moments_are_refused() -> None:
    with pytest.raises(ValueError, match="naive"):
        study_day(datetime(2025, 3, 14, 12), zone=UTC, day_starts_at_hour=4)
