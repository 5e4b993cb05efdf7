"""How far a grading model can be trusted: cases with known grades, the measured agreement, and
the rule that turns agreement into the weight its verdicts get in a score.

A model that agrees with known grades no more often than a coin would gets no weight; the score
then rests on key-point evidence. The measurement is cached per model file (`CalibrationCache`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Protocol

from desktop.core.grades import GradingTask

# A model's verdicts never count alone: evidence always keeps some say in the score.
MAX_MODEL_WEIGHT = 0.8
# One-sided 90% Wilson bound: a lucky streak on a handful of cases must not earn trust.
_CONFIDENCE_Z = 1.2816
_CHANCE = 0.5


@dataclass(frozen=True)
class CalibrationCase:
    """One answer whose grade is known: `expected_correct` is True for a right answer."""

    name: str
    task: GradingTask
    answer: str
    expected_correct: bool
    source: str = "held-in"


@dataclass(frozen=True)
class CaseOutcome:
    """What the model said about one case; `model_score` is None when its output was unusable."""

    name: str
    expected_correct: bool
    model_score: float | None
    agreed: bool

    def as_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "expected_correct": self.expected_correct,
            "model_score": self.model_score,
            "agreed": self.agreed,
        }


def agrees(expected_correct: bool, model_score: float | None) -> bool:
    """A model agrees with a known grade when its score falls on the same side of one half."""
    if model_score is None:
        return False
    return (model_score >= 0.5) == expected_correct


def wilson_lower_bound(agreed: int, cases: int, z: float = _CONFIDENCE_Z) -> float:
    if cases <= 0:
        return 0.0
    rate = agreed / cases
    denominator = 1 + z * z / cases
    centre = rate + z * z / (2 * cases)
    spread = z * math.sqrt(rate * (1 - rate) / cases + z * z / (4 * cases * cases))
    return max(0.0, (centre - spread) / denominator)


def model_weight_for(agreed: int, cases: int) -> float:
    """The share of a score that follows the model's verdicts: zero unless the model is
    measurably better than chance, growing with the lower confidence bound of its agreement."""
    bound = wilson_lower_bound(agreed, cases)
    above_chance = (bound - _CHANCE) / (1 - _CHANCE)
    return round(max(0.0, min(1.0, above_chance)) * MAX_MODEL_WEIGHT, 3)


def describe_weight(weight: float) -> str:
    if weight < 0.2:
        return "grades lean on key-point evidence"
    if weight < 0.5:
        return "grades combine its verdicts with key-point evidence"
    return "grades follow its verdicts, checked against key-point evidence"


@dataclass(frozen=True)
class CalibrationResult:
    """The measured reliability of one model file on one set of calibration cases."""

    model_key: str
    model_name: str
    cases: int
    agreed: int
    model_weight: float
    measured_at: datetime = field(default_factory=lambda: datetime.now(UTC))
    outcomes: tuple[CaseOutcome, ...] = ()

    @classmethod
    def from_outcomes(
        cls, model_key: str, model_name: str, outcomes: tuple[CaseOutcome, ...]
    ) -> CalibrationResult:
        agreed = sum(1 for outcome in outcomes if outcome.agreed)
        return cls(
            model_key=model_key,
            model_name=model_name,
            cases=len(outcomes),
            agreed=agreed,
            model_weight=model_weight_for(agreed, len(outcomes)),
            outcomes=outcomes,
        )

    @property
    def unusable(self) -> int:
        return sum(1 for outcome in self.outcomes if outcome.model_score is None)

    @property
    def sentence(self) -> str:
        """What a learner is told, e.g. "this model agrees with known grades in 9 of 20 cases —
        grades lean on key-point evidence"."""
        return (
            f"this model agrees with known grades in {self.agreed} of {self.cases} cases — "
            f"{describe_weight(self.model_weight)}"
        )

    def as_json(self) -> dict[str, Any]:
        return {
            "model_key": self.model_key,
            "model_name": self.model_name,
            "cases": self.cases,
            "agreed": self.agreed,
            "unusable": self.unusable,
            "model_weight": self.model_weight,
            "measured_at": self.measured_at.isoformat(),
            "sentence": self.sentence,
            "outcomes": [outcome.as_json() for outcome in self.outcomes],
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> CalibrationResult:
        outcomes = tuple(
            CaseOutcome(
                name=str(item["name"]),
                expected_correct=bool(item["expected_correct"]),
                model_score=None if item["model_score"] is None else float(item["model_score"]),
                agreed=bool(item["agreed"]),
            )
            for item in data.get("outcomes", [])
        )
        return cls(
            model_key=str(data["model_key"]),
            model_name=str(data["model_name"]),
            cases=int(data["cases"]),
            agreed=int(data["agreed"]),
            model_weight=float(data["model_weight"]),
            measured_at=datetime.fromisoformat(str(data["measured_at"])),
            outcomes=outcomes,
        )


class CalibrationCache(Protocol):
    """Stored calibration results, one per model key (implemented over the database)."""

    def load(self, model_key: str) -> CalibrationResult | None: ...

    def save(self, result: CalibrationResult) -> None: ...


class MemoryCalibrationCache:
    """A cache that lives as long as the process: for tests and database-free runs."""

    def __init__(self) -> None:
        self._results: dict[str, CalibrationResult] = {}

    def load(self, model_key: str) -> CalibrationResult | None:
        return self._results.get(model_key)

    def save(self, result: CalibrationResult) -> None:
        self._results[result.model_key] = result
