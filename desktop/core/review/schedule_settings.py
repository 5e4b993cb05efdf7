"""Scheduling options (the `scheduling` settings group): FSRS knobs, daily limits, the study day.

Stored as one JSON object; unknown keys are ignored and missing ones take their defaults, so a
settings file written by an older or newer version still opens. Values are checked when read so
a hand-edited file with nonsense in it fails with a message naming the option.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields, replace
from datetime import datetime, timedelta, tzinfo
from enum import StrEnum
from typing import Any

from desktop.core.errors import VivaError
from desktop.core.review.study_day import StudyDay, TimezoneError, study_day, zone_named
from desktop.core.settings import SettingsStore

SETTINGS_GROUP = "scheduling"
FSRS_PARAMETER_COUNT = 21


class ScheduleSettingsError(VivaError):
    """A scheduling option has a value that cannot be used."""


class NewOrder(StrEnum):
    """Which new questions come first when there are several decks."""

    MIXED = "mixed"  # the first question of each deck, then the second of each, ...
    DECK_BY_DECK = "deck_by_deck"  # one deck's questions in order, then the next deck's


@dataclass(frozen=True)
class ScheduleSettings:
    """How questions are scheduled.

    Steps are in minutes. `timezone` is an IANA name or "" for the computer's zone.
    `parameters` holds optimised FSRS weights (empty: the defaults that ship with FSRS).
    `new_order` says how today's new questions are drawn from several decks.
    """

    desired_retention: float = 0.9
    learning_steps_minutes: tuple[float, ...] = (1.0, 10.0)
    relearning_steps_minutes: tuple[float, ...] = (10.0,)
    maximum_interval_days: int = 36500
    fuzz: bool = True
    new_per_day: int = 20
    reviews_per_day: int = 200
    day_starts_at_hour: int = 4
    timezone: str = ""
    parameters: tuple[float, ...] = field(default=())
    new_order: NewOrder = NewOrder.MIXED

    def __post_init__(self) -> None:
        problems = []
        if not 0.7 <= self.desired_retention <= 0.99:
            problems.append("desired_retention must be between 0.70 and 0.99")
        for name in ("learning_steps_minutes", "relearning_steps_minutes"):
            if any(step <= 0 for step in getattr(self, name)):
                problems.append(f"{name} must all be positive")
        if self.maximum_interval_days < 1:
            problems.append("maximum_interval_days must be at least 1")
        if self.new_per_day < 0 or self.reviews_per_day < 0:
            problems.append("daily limits cannot be negative")
        if not 0 <= self.day_starts_at_hour <= 23:
            problems.append("day_starts_at_hour must be an hour from 0 to 23")
        if self.parameters and len(self.parameters) != FSRS_PARAMETER_COUNT:
            problems.append(f"parameters must be {FSRS_PARAMETER_COUNT} numbers (or none)")
        try:
            zone_named(self.timezone)  # an unknown zone fails now, not at the first review
        except TimezoneError as error:
            problems.append(str(error).rstrip("."))
        if problems:
            raise ScheduleSettingsError("Scheduling settings: " + "; ".join(problems) + ".")

    @property
    def zone(self) -> tzinfo:
        return zone_named(self.timezone)

    @property
    def learning_steps(self) -> tuple[timedelta, ...]:
        return tuple(timedelta(minutes=m) for m in self.learning_steps_minutes)

    @property
    def relearning_steps(self) -> tuple[timedelta, ...]:
        return tuple(timedelta(minutes=m) for m in self.relearning_steps_minutes)

    def study_day(self, moment: datetime) -> StudyDay:
        return study_day(moment, zone=self.zone, day_starts_at_hour=self.day_starts_at_hour)

    def with_changes(self, **changes: Any) -> ScheduleSettings:
        return replace(self, **changes)

    def as_json(self) -> dict[str, Any]:
        data = asdict(self)
        for name in ("learning_steps_minutes", "relearning_steps_minutes", "parameters"):
            data[name] = list(data[name])
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> ScheduleSettings:
        known = {f.name: f for f in fields(cls)}
        values: dict[str, Any] = {}
        try:
            for key, value in data.items():
                if key not in known:
                    continue
                if key in ("learning_steps_minutes", "relearning_steps_minutes", "parameters"):
                    values[key] = tuple(float(v) for v in value)
                elif key in ("desired_retention",):
                    values[key] = float(value)
                elif key == "fuzz":
                    values[key] = bool(value)
                elif key == "timezone":
                    values[key] = str(value)
                elif key == "new_order":
                    values[key] = NewOrder(value)
                else:
                    values[key] = int(value)
        except (TypeError, ValueError) as error:
            problem = f"Scheduling settings: unreadable value ({error})."
            raise ScheduleSettingsError(problem) from None
        return cls(**values)


def load_schedule_settings(store: SettingsStore) -> ScheduleSettings:
    """The learner's scheduling settings (the defaults until something was saved)."""
    saved = store.load_group(SETTINGS_GROUP)
    return ScheduleSettings() if saved is None else ScheduleSettings.from_json(saved)


def save_schedule_settings(store: SettingsStore, settings: ScheduleSettings) -> None:
    store.save_group(SETTINGS_GROUP, settings.as_json())
