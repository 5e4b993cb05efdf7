"""FSRS through `CardScheduler`, with fixed clocks: state transitions, intervals, snapshots."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from desktop.core.review.cards import CardSnapshot, CardState, Rating
from desktop.core.review.schedule_settings import ScheduleSettings
from desktop.core.review.scheduler import (
    CardScheduler,
    new_card,
    snapshot_as_json,
    snapshot_from_json,
)

T0 = datetime(2025, 3, 14, 9, 0, tzinfo=UTC)
STEADY = ScheduleSettings(fuzz=False, timezone="UTC")


@pytest.fixture
def scheduler() -> CardScheduler:
    return CardScheduler(STEADY)


def test_new_goes_to_learning_then_review(scheduler: CardScheduler) -> None:
    card = new_card(7, T0)
    assert card.state is CardState.NEW

    first = scheduler.review(card, Rating.GOOD, T0)
    assert first.state is CardState.LEARNING
    assert first.step == 1
    assert first.due == T0 + timedelta(minutes=10)  # the second learning step
    assert (first.reps, first.lapses, first.last_review) == (1, 0, T0)

    second = scheduler.review(first, Rating.GOOD, first.due)
    assert second.state is CardState.REVIEW
    assert second.step is None
    assert second.due - first.due >= timedelta(days=1)
    assert second.reps == 2


def test_easy_on_a_new_card_skips_learning(scheduler: CardScheduler) -> None:
    card = scheduler.review(new_card(1, T0), Rating.EASY, T0)
    assert card.state is CardState.REVIEW
    assert card.due - T0 >= timedelta(days=1)


def test_again_on_a_review_card_relearns_and_counts_a_lapse(scheduler: CardScheduler) -> None:
    card = scheduler.review(new_card(1, T0), Rating.EASY, T0)
    lapsed = scheduler.review(card, Rating.AGAIN, card.due)
    assert lapsed.state is CardState.RELEARNING
    assert lapsed.step == 0
    assert lapsed.due == card.due + timedelta(minutes=10)
    assert lapsed.lapses == 1
    assert lapsed.stability is not None and card.stability is not None
    assert lapsed.stability < card.stability

    relearned = scheduler.review(lapsed, Rating.GOOD, lapsed.due)
    assert relearned.state is CardState.REVIEW
    assert relearned.lapses == 1


def test_again_during_learning_is_not_a_lapse(scheduler: CardScheduler) -> None:
    card = scheduler.review(new_card(1, T0), Rating.AGAIN, T0)
    assert card.state is CardState.LEARNING
    assert card.step == 0
    assert card.due == T0 + timedelta(minutes=1)
    assert card.lapses == 0


def test_intervals_grow_with_good(scheduler: CardScheduler) -> None:
    card = scheduler.review(new_card(1, T0), Rating.GOOD, T0)
    card = scheduler.review(card, Rating.GOOD, card.due)
    intervals = []
    for _ in range(5):
        assert card.state is CardState.REVIEW
        previous_due = card.due
        card = scheduler.review(card, Rating.GOOD, previous_due)
        intervals.append(card.due - previous_due)
    assert intervals == sorted(intervals)
    assert intervals[-1] > intervals[0] * 4


def test_a_lower_retention_target_gives_longer_intervals() -> None:
    strict = CardScheduler(STEADY.with_changes(desired_retention=0.95))
    relaxed = CardScheduler(STEADY.with_changes(desired_retention=0.8))
    card = new_card(1, T0)
    assert relaxed.review(card, Rating.EASY, T0).due > strict.review(card, Rating.EASY, T0).due


def test_maximum_interval_caps_the_due_date() -> None:
    capped = CardScheduler(STEADY.with_changes(maximum_interval_days=3))
    card = capped.review(new_card(1, T0), Rating.EASY, T0)
    for _ in range(4):
        at = card.due
        card = capped.review(card, Rating.EASY, at)
        assert card.due - at <= timedelta(days=3)


def test_fuzz_stays_within_a_few_days_of_the_steady_interval() -> None:
    steady = CardScheduler(STEADY)
    fuzzy = CardScheduler(STEADY.with_changes(fuzz=True))
    card = CardSnapshot(
        1, CardState.REVIEW, due=T0, stability=40.0, difficulty=5.0, last_review=T0 - timedelta(40)
    )
    expected = steady.review(card, Rating.GOOD, T0).due - T0
    seen = {fuzzy.review(card, Rating.GOOD, T0).due - T0 for _ in range(40)}
    assert all(abs(interval - expected) <= expected * 0.15 for interval in seen)
    assert len(seen) > 1


def test_a_review_ends_a_bury(scheduler: CardScheduler) -> None:
    buried = CardSnapshot(1, CardState.NEW, due=T0, buried_until=T0 + timedelta(days=1))
    assert scheduler.review(buried, Rating.GOOD, T0).buried_until is None


def test_preview_shows_each_rating_and_matches_the_review(scheduler: CardScheduler) -> None:
    card = scheduler.review(new_card(1, T0), Rating.EASY, T0)
    at = card.due + timedelta(days=2)
    preview = scheduler.preview(card, at)
    assert (
        preview[Rating.AGAIN] < preview[Rating.HARD] <= preview[Rating.GOOD] < preview[Rating.EASY]
    )
    assert preview[Rating.GOOD] == scheduler.review(card, Rating.GOOD, at).due


def test_retrievability_falls_with_time(scheduler: CardScheduler) -> None:
    card = scheduler.review(new_card(1, T0), Rating.GOOD, T0)
    card = scheduler.review(card, Rating.GOOD, card.due)
    soon = scheduler.retrievability(card, card.last_review or T0)
    late = scheduler.retrievability(card, (card.last_review or T0) + timedelta(days=60))
    assert 0 < late < soon <= 1
    assert scheduler.retrievability(new_card(2, T0), T0) == 0


def test_times_in_other_zones_are_the_same_instants(scheduler: CardScheduler) -> None:
    berlin = T0.astimezone(ZoneInfo("Europe/Berlin"))
    a = scheduler.review(new_card(1, T0), Rating.GOOD, T0)
    b = scheduler.review(new_card(1, berlin), Rating.GOOD, berlin)
    assert a == b
    assert a.due.tzinfo is UTC


def test_naive_times_are_refused(scheduler: CardScheduler) -> None:
    with pytest.raises(ValueError, match="naive"):
        scheduler.review(new_card(1, T0), Rating.GOOD, datetime(2025, 3, 14, 9, 0))


def test_snapshots_survive_json_exactly(scheduler: CardScheduler) -> None:
    card = scheduler.review(new_card(3, T0), Rating.HARD, T0)
    card = CardSnapshot(**{**vars(card), "buried_until": T0 + timedelta(hours=20)})
    assert snapshot_from_json(snapshot_as_json(card)) == card
    fresh = new_card(4, T0)
    assert snapshot_from_json(snapshot_as_json(fresh)) == fresh
