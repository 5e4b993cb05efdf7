"""The statistics' building blocks: streaks, study days, the forgetting curve, stages, scopes."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from fsrs import Card, Scheduler, State

from desktop.core.reports.durations import duration
from desktop.core.reports.history import HistoryScope
from desktop.core.reports.report import ReportRequest
from desktop.core.reports.service import ReportRequestError
from desktop.core.review.cards import CardSnapshot, CardState
from desktop.core.review.study_day import study_day
from desktop.reports.activity import streaks
from desktop.reports.days import StudyCalendar
from desktop.reports.formatting import percent
from desktop.reports.mastery import card_retrievability, decay_from_parameters, stage, topic_order
from desktop.reports.service import ReportService
from tests.reports.scripted_history import DICTS, LISTS, THREADS, at


def _days(*numbers: int) -> list[date]:
    return [date(2025, 3, n) for n in numbers]


@pytest.mark.parametrize(
    ("active", "last", "expected"),
    [
        (_days(29, 30, 31), 31, (3, 3)),
        (_days(29, 30), 31, (2, 2)),  # today has no review yet: the streak still stands
        (_days(28, 29), 31, (0, 2)),  # yesterday had none: broken
        (_days(1, 2, 3, 4, 10, 11), 11, (2, 4)),
        (_days(10, 11, 12), 11, (2, 2)),  # days after the period do not count
        ([], 31, (0, 0)),
    ],
)
def test_streaks(active: list[date], last: int, expected: tuple[int, int]) -> None:
    assert streaks(active, date(2025, 3, last)) == expected


@pytest.mark.parametrize("zone_name", ["Europe/Berlin", "America/New_York", "Australia/Lord_Howe"])
@pytest.mark.parametrize("hour", [0, 2, 4])
def test_study_days_agree_with_the_scheduler_across_dst_changes(zone_name: str, hour: int) -> None:
    zone = ZoneInfo(zone_name)
    calendar = StudyCalendar(zone, hour)
    for start in (
        datetime(2025, 3, 28, tzinfo=UTC),
        datetime(2025, 10, 24, tzinfo=UTC),
        datetime(2025, 4, 3, tzinfo=UTC),
        datetime(2025, 11, 1, tzinfo=UTC),
    ):
        for step in range(0, 5 * 24 * 60, 10):
            moment = start + timedelta(minutes=step)
            expected = study_day(moment, zone=zone, day_starts_at_hour=hour)
            assert calendar.day_of(moment) == expected.local_date, moment
            assert calendar.day_start(expected.local_date) == expected.start, moment


@pytest.mark.parametrize("stability", [0.5, 2.0, 21.0, 365.0])
@pytest.mark.parametrize("elapsed_hours", [0, 5, 30, 24 * 20, 24 * 400])
def test_retrievability_matches_fsrs(stability: float, elapsed_hours: int) -> None:
    last = datetime(2025, 1, 1, 8, tzinfo=UTC)
    now = last + timedelta(hours=elapsed_hours)
    ours = card_retrievability(
        CardSnapshot(1, CardState.REVIEW, now, stability=stability, last_review=last), now
    )
    card = Card(state=State.Review, stability=stability, difficulty=5.0, last_review=last)
    assert ours == pytest.approx(Scheduler().get_card_retrievability(card, now), abs=1e-12)


def test_retrievability_uses_the_optimised_decay() -> None:
    parameters = list(Scheduler().parameters)
    parameters[20] = 0.5
    assert decay_from_parameters(parameters) == 0.5
    assert decay_from_parameters(()) == 0.1542
    last = datetime(2025, 1, 1, tzinfo=UTC)
    now = last + timedelta(days=30)
    card = CardSnapshot(1, CardState.REVIEW, now, stability=10.0, last_review=last)
    expected = Scheduler(parameters=parameters).get_card_retrievability(
        Card(state=State.Review, stability=10.0, difficulty=5.0, last_review=last), now
    )
    assert card_retrievability(card, now, 0.5) == pytest.approx(expected, abs=1e-12)


def test_stages() -> None:
    due = datetime(2025, 1, 1, tzinfo=UTC)
    assert stage(None) == "new"
    assert stage(CardSnapshot(1, CardState.NEW, due)) == "new"
    assert stage(CardSnapshot(1, CardState.REVIEW, due, stability=20.9)) == "learning"
    assert stage(CardSnapshot(1, CardState.REVIEW, due, stability=21.0)) == "mature"
    assert stage(CardSnapshot(1, CardState.RELEARNING, due, stability=40.0)) == "learning"


@pytest.mark.parametrize(
    ("wanted", "matched"),
    [
        ("1 Basics", {LISTS, DICTS}),
        ("basics", {LISTS, DICTS}),
        ("1 basics > lists", {LISTS}),
        ("Lists", {LISTS}),
        ("  Concurrency ", {THREADS}),
        ("Basic", set()),
        ("Lists > 1 Basics", set()),
    ],
)
def test_topic_filters(wanted: str, matched: set[str]) -> None:
    scope = HistoryScope(topics=(wanted,))
    assert {t for t in (LISTS, DICTS, THREADS) if scope.includes("deck", t)} == matched


def test_deck_filters_match_name_or_title() -> None:
    assert HistoryScope(decks=("python notes",)).includes(
        "python-notes", LISTS, deck_title="Python notes"
    )
    assert HistoryScope(decks=("python-notes",)).includes("python-notes", LISTS)
    assert not HistoryScope(decks=("rust",)).includes("python-notes", LISTS, deck_title="Python")


def test_a_period_ending_before_it_starts_is_refused(service: ReportService) -> None:
    with pytest.raises(ReportRequestError, match="swap the dates"):
        service.build_report(ReportRequest(at(31).date(), at(26).date()))


def test_a_topic_that_matches_nothing_names_the_topics_there_are(service: ReportService) -> None:
    with pytest.raises(ReportRequestError, match="No topic matches 'Rust'") as caught:
        service.build_report(ReportRequest(scope=HistoryScope(topics=("Lists", "Rust"))))
    assert LISTS in caught.value.details and THREADS in caught.value.details


def test_formatting() -> None:
    assert (percent(None), percent(0.625), percent(0.0), percent(1.0)) == ("–", "63%", "0%", "100%")
    assert [duration(ms) for ms in (0, 44_600, 90_000, 3_600_000, 3_900_000)] == [
        "0 s",
        "45 s",
        "2 min",
        "1 h 00 min",
        "1 h 05 min",
    ]


def test_topics_sort_by_their_numbers() -> None:
    topics = ["13.10 Tips", "13.2 Tools", "2 Basics", "13.2 tools > a", "Zeta", "alpha"]
    assert sorted(topics, key=topic_order) == [
        "2 Basics",
        "13.2 Tools",
        "13.2 tools > a",
        "13.10 Tips",
        "alpha",
        "Zeta",
    ]
