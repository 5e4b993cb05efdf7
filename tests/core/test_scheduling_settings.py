"""Scheduling settings: defaults, checks, the stored `scheduling` group, the optional optimiser."""

from __future__ import annotations

import importlib.util
from datetime import UTC, datetime, timedelta
from typing import Any, ClassVar

import pytest

from desktop.core.review.cards import Rating
from desktop.core.review.review_store import RatingHistoryEntry
from desktop.core.review.schedule_optimiser import (
    MIN_REVIEWS,
    NotEnoughReviews,
    OptimiserUnavailable,
    optimise_parameters,
    optimised_settings,
)
from desktop.core.review.schedule_settings import (
    SETTINGS_GROUP,
    ScheduleSettings,
    ScheduleSettingsError,
    load_schedule_settings,
    save_schedule_settings,
)
from desktop.core.review.scheduler import CardScheduler, new_card
from desktop.storage.database import Database
from desktop.storage.settings_store import DatabaseSettingsStore

T0 = datetime(2025, 3, 14, 9, 0, tzinfo=UTC)


def test_defaults() -> None:
    settings = ScheduleSettings()
    assert settings.desired_retention == 0.9
    assert settings.learning_steps == (timedelta(minutes=1), timedelta(minutes=10))
    assert settings.relearning_steps == (timedelta(minutes=10),)
    assert (settings.new_per_day, settings.reviews_per_day) == (20, 200)
    assert settings.day_starts_at_hour == 4
    assert settings.fuzz


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"desired_retention": 1.2}, "desired_retention"),
        ({"learning_steps_minutes": (1.0, 0.0)}, "learning_steps_minutes"),
        ({"maximum_interval_days": 0}, "maximum_interval_days"),
        ({"new_per_day": -1}, "daily limits"),
        ({"day_starts_at_hour": 25}, "day_starts_at_hour"),
        ({"parameters": (0.1, 0.2)}, "parameters"),
        ({"timezone": "Nowhere/City"}, "Unknown timezone"),
    ],
)
def test_bad_values_name_the_option(changes: dict[str, Any], message: str) -> None:
    with pytest.raises(ScheduleSettingsError, match=message):
        ScheduleSettings(**changes)


def test_the_group_is_stored_and_read_back(database: Database) -> None:
    store = DatabaseSettingsStore(database)
    assert load_schedule_settings(store) == ScheduleSettings()
    chosen = ScheduleSettings(
        desired_retention=0.85,
        learning_steps_minutes=(2.0, 15.0, 60.0),
        new_per_day=5,
        timezone="Europe/Berlin",
        day_starts_at_hour=6,
        fuzz=False,
    )
    save_schedule_settings(store, chosen)
    assert store.load_group(SETTINGS_GROUP) == chosen.as_json()
    assert load_schedule_settings(DatabaseSettingsStore(database)) == chosen


def test_unknown_keys_are_ignored_and_missing_ones_default() -> None:
    settings = ScheduleSettings.from_json({"new_per_day": "7", "from_a_newer_version": True})
    assert settings == ScheduleSettings(new_per_day=7)


def test_unreadable_values_are_reported() -> None:
    with pytest.raises(ScheduleSettingsError, match="unreadable"):
        ScheduleSettings.from_json({"reviews_per_day": "many"})


def _history(count: int) -> list[RatingHistoryEntry]:
    return [
        RatingHistoryEntry(n % 40, Rating.GOOD if n % 5 else Rating.AGAIN, T0 + timedelta(n), 9000)
        for n in range(count)
    ]


def test_too_few_reviews_keep_the_defaults_with_a_reason() -> None:
    with pytest.raises(NotEnoughReviews, match=f"at least {MIN_REVIEWS} reviews; there are 10"):
        optimise_parameters(_history(10))


@pytest.mark.skipif(importlib.util.find_spec("torch") is not None, reason="torch is installed")
def test_without_the_optional_optimiser_the_message_says_how_to_get_it() -> None:
    with pytest.raises(OptimiserUnavailable, match=r"viva\[optimizer\]"):
        optimise_parameters(_history(MIN_REVIEWS))


class FakeOptimizer:
    """Stands in for `fsrs.Optimizer`: returns fitted-looking parameters for the logs given."""

    received: ClassVar[list[Any]] = []

    def __init__(self, logs: list[Any]) -> None:
        FakeOptimizer.received = logs

    def compute_optimal_parameters(self) -> list[float]:
        from fsrs.scheduler import DEFAULT_PARAMETERS

        return [p * 1.01 if i == 0 else p for i, p in enumerate(DEFAULT_PARAMETERS)]


def test_fitted_parameters_are_used_by_the_scheduler() -> None:
    history = _history(MIN_REVIEWS)
    settings = optimised_settings(
        ScheduleSettings(fuzz=False), history, optimizer_factory=FakeOptimizer
    )
    assert len(FakeOptimizer.received) == MIN_REVIEWS
    assert FakeOptimizer.received[0].card_id == history[0].question_id
    assert len(settings.parameters) == 21
    assert ScheduleSettings.from_json(settings.as_json()) == settings
    fitted = CardScheduler(settings).review(new_card(1, T0), Rating.AGAIN, T0)
    default = CardScheduler(ScheduleSettings(fuzz=False)).review(new_card(1, T0), Rating.AGAIN, T0)
    assert fitted.stability == pytest.approx((default.stability or 0) * 1.01)
