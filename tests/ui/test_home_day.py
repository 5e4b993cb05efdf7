"""Home names the study day its counts are for: after midnight, before the day boundary, that is
still the calendar's yesterday."""

from __future__ import annotations

from datetime import UTC, datetime

from desktop.core.review.schedule_settings import ScheduleSettings
from desktop.reports.service import ReportService
from desktop.storage.cards import CardRepository
from desktop.storage.database import Database
from desktop.storage.history import HistoryRepository
from desktop.storage.question_bank import QuestionBank
from desktop.storage.reviews import ReviewRepository
from desktop.ui.home.summary import HomeSources, greeting, load_home_summary

SETTINGS = ScheduleSettings(timezone="UTC", day_starts_at_hour=4)


def _summary_at(database: Database, now: datetime) -> str:
    sources = HomeSources(
        QuestionBank(database),
        CardRepository(database),
        ReviewRepository(database),
        ReportService(HistoryRepository(database), SETTINGS, clock=lambda: now),
        lambda: SETTINGS,
    )
    return greeting(load_home_summary(sources, now).study_date)


def test_the_heading_is_the_study_day_not_the_calendar_day(seeded_database: Database) -> None:
    # Tuesday 8 December 2026, 02:30: the study day that began on Monday at 04:00.
    assert _summary_at(seeded_database, datetime(2026, 12, 8, 2, 30, tzinfo=UTC)) == (
        "Monday, 07 December"
    )
    assert _summary_at(seeded_database, datetime(2026, 12, 8, 4, 0, tzinfo=UTC)) == (
        "Tuesday, 08 December"
    )
