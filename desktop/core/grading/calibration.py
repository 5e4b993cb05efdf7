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

from desktop.core.grading.grades import GradingTask

# A model's verdicts never count alone: evidence always keeps some say in the score.
MAX_MODEL_WEIGHT = 0.8
# One-sided 90% Wilson bound: a lucky streak on a handful of cases must not earn trust.
_CONFIDENCE_Z = 1.2816
_CHANCE = 0.5


@dataclass(frozen=True)
class CalibrationCase:
    """One answer whose grade is known: `expected` is 1 for a right answer, 0.5 for a half
    one and 0 for a wrong one; `kind` says what sort of answer it is (good, partial,
    inverted, swapped, keywords, off-topic, injection)."""

    name: str
    task: GradingTask
    answer: str
    expected: float
    kind: str = "good"


@dataclass(frozen=True)
class CaseOutcome:
    """What the model said about one case: `raw_score` is the mean of its per-point
    probabilities (None when its output was unusable), `model_score` the same mapped onto the
    grade scale with anchors measured on the other questions' cases."""

    name: str
    expected: float
    raw_score: float | None
    model_score: float | None
    agreed: bool
    kind: str = "good"

    def as_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "kind": self.kind,
            "expected": self.expected,
            "raw_score": self.raw_score,
            "model_score": self.model_score,
            "agreed": self.agreed,
        }


def agrees(expected: float, model_score: float | None) -> bool:
    """Right answers must score at least one half, wrong ones below it, half answers between
    0.2 and 0.8."""
    if model_score is None:
        return False
    if expected >= 0.75:
        return model_score >= 0.5
    if expected <= 0.25:
        return model_score < 0.5
    return 0.2 <= model_score <= 0.8


# A model whose right and wrong answers score closer than this cannot tell them apart.
MIN_ANCHOR_SPREAD = 0.05


@dataclass(frozen=True)
class Anchors:
    """Where a model's raw scores sit for wrong (`low`) and right (`high`) answers: small
    models say "yes" with a bias of their own, so their probabilities are put on the grade
    scale by these two measured points."""

    low: float = 0.0
    high: float = 1.0

    @property
    def usable(self) -> bool:
        return self.high - self.low >= MIN_ANCHOR_SPREAD

    def scale(self, raw: float) -> float:
        if not self.usable:
            return 0.0
        return max(0.0, min(1.0, (raw - self.low) / (self.high - self.low)))

    @classmethod
    def measured(cls, pairs: list[tuple[float, float]]) -> Anchors:
        """From (expected, raw score) pairs: the mean raw score of the wrong and right ones."""
        wrong = [raw for expected, raw in pairs if expected <= 0.25]
        right = [raw for expected, raw in pairs if expected >= 0.75]
        if not wrong or not right:
            return cls(0.0, 0.0)
        return cls(sum(wrong) / len(wrong), sum(right) / len(right))


def outcomes_for(
    cases: list[CalibrationCase], raw_scores: list[float | None]
) -> tuple[tuple[CaseOutcome, ...], Anchors]:
    """Each case judged with anchors measured on the other questions' cases (so a case never
    helps to grade itself), and the anchors from every case for later grades."""
    usable = [(case, raw) for case, raw in zip(cases, raw_scores, strict=True) if raw is not None]
    outcomes = []
    for case, raw in zip(cases, raw_scores, strict=True):
        score = None
        if raw is not None:
            others = [(c.expected, r) for c, r in usable if c.task.prompt != case.task.prompt]
            score = round(Anchors.measured(others).scale(raw), 4)
        outcomes.append(
            CaseOutcome(
                case.name, case.expected, raw, score, agrees(case.expected, score), case.kind
            )
        )
    return tuple(outcomes), Anchors.measured([(c.expected, r) for c, r in usable])


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
    if weight <= 0:
        return "its verdicts are not used: grades use word matching only"
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
    anchors: Anchors = field(default_factory=Anchors)

    @classmethod
    def from_outcomes(
        cls,
        model_key: str,
        model_name: str,
        outcomes: tuple[CaseOutcome, ...],
        anchors: Anchors | None = None,
    ) -> CalibrationResult:
        anchors = anchors or Anchors()
        agreed = sum(1 for outcome in outcomes if outcome.agreed)
        weight = model_weight_for(agreed, len(outcomes)) if anchors.usable else 0.0
        return cls(
            model_key=model_key,
            model_name=model_name,
            cases=len(outcomes),
            agreed=agreed,
            model_weight=weight,
            outcomes=outcomes,
            anchors=anchors,
        )

    @property
    def unreliable(self) -> bool:
        """The model earned no weight: its verdicts are not asked for at all."""
        return self.model_weight <= 0.0

    def model_value(self, raw: float) -> float:
        """A per-point probability of "stated" on the grade scale."""
        return self.anchors.scale(raw)

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
            "anchors": {"low": self.anchors.low, "high": self.anchors.high},
            "sentence": self.sentence,
            "outcomes": [outcome.as_json() for outcome in self.outcomes],
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> CalibrationResult:
        outcomes = tuple(
            CaseOutcome(
                name=str(item["name"]),
                expected=float(item["expected"]),
                raw_score=_optional_float(item.get("raw_score")),
                model_score=_optional_float(item.get("model_score")),
                agreed=bool(item["agreed"]),
                kind=str(item.get("kind", "good")),
            )
            for item in data.get("outcomes", [])
        )
        anchors = data.get("anchors") or {}
        return cls(
            model_key=str(data["model_key"]),
            model_name=str(data["model_name"]),
            cases=int(data["cases"]),
            agreed=int(data["agreed"]),
            model_weight=float(data["model_weight"]),
            measured_at=datetime.fromisoformat(str(data["measured_at"])),
            outcomes=outcomes,
            anchors=Anchors(float(anchors.get("low", 0.0)), float(anchors.get("high", 1.0))),
        )


def _optional_float(value: object) -> float | None:
    return None if value is None else float(str(value))


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
