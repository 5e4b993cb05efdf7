"""Measuring how often a model's verdicts agree with known grades, once per model file.

The cases are the held-in set shipped in `resources/calibration/`: the one case set every grade
path uses (the app, `review`, `grade`, `grade-batch`, `models check`). Only the model's own
verdicts are scored here (no evidence), so the result says how far the model can be trusted on
its own; `core.grading.calibration.model_weight_for` turns that into its weight in a grade, and the
measured anchors put its probabilities on the grade scale.
"""

from __future__ import annotations

import hashlib
import json
import threading
from collections.abc import Callable, Iterable
from pathlib import Path

from desktop.core.errors import VivaError
from desktop.core.grading.calibration import (
    CalibrationCache,
    CalibrationCase,
    CalibrationResult,
    outcomes_for,
)
from desktop.core.grading.grades import GradingTask
from desktop.grading.backend import CompletionBackend
from desktop.grading.judging.judge import ModelJudge
from desktop.grading.judging.prompts import JUDGE_VERSION
from desktop.paths import resources_dir

ProgressCallback = Callable[[int, int], None]


def held_in_cases(path: Path | None = None) -> list[CalibrationCase]:
    """The shipped cases: for every question, answers of every kind with their known grade."""
    source = path or resources_dir() / "calibration" / "cases.json"
    try:
        data = json.loads(source.read_text(encoding="utf-8"))
        cases: list[CalibrationCase] = []
        for item in data["questions"]:
            task = GradingTask(item["prompt"], item["reference"], tuple(item["key_points"]))
            for answer in item["answers"]:
                kind = str(answer["kind"])
                cases.append(
                    CalibrationCase(
                        f"{item['name']}/{kind}",
                        task,
                        str(answer["text"]),
                        float(answer["expected"]),
                        kind,
                    )
                )
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise VivaError(f"The calibration cases in {source} cannot be read: {error}") from error
    return cases


def cases_digest(cases: Iterable[CalibrationCase]) -> str:
    """Identifies a case set and the way the model is asked, so a change is measured again."""
    digest = hashlib.sha256(JUDGE_VERSION.encode("utf-8"))
    for case in cases:
        for part in (case.name, case.task.prompt, case.task.reference, case.answer):
            digest.update(part.encode("utf-8"))
            digest.update(b"\0")
        digest.update(f"{case.expected:g}".encode("ascii"))
    return digest.hexdigest()[:16]


def calibration_key(model_fingerprint: str, cases: Iterable[CalibrationCase]) -> str:
    """The one cache key of a measurement: the model's content and the case set."""
    return f"{model_fingerprint}/{cases_digest(cases)}"


def measure(
    backend: CompletionBackend,
    cases: list[CalibrationCase],
    *,
    model_key: str,
    cancel: threading.Event | None = None,
    progress: ProgressCallback | None = None,
    raw_scores: list[float | None] | None = None,
) -> CalibrationResult:
    """Grades every case with the model's verdicts alone; unusable output counts as a miss.
    Cancellation, a timeout or a missing model raise the backend's error. `raw_scores` keeps
    what was measured so far: a check that gave way to a grade resumes where it stood."""
    judge = ModelJudge(backend)
    raw_scores = [] if raw_scores is None else raw_scores
    prepared: GradingTask | None = None
    for done, case in enumerate(cases):
        if progress is not None:
            progress(done, len(cases))
        if done < len(raw_scores):
            continue
        if case.task != prepared:
            judge.prepare(case.task)
            prepared = case.task
        raw_scores.append(judge.raw_score(case.task, case.answer, cancel=cancel))
    if progress is not None:
        progress(len(cases), len(cases))
    outcomes, anchors = outcomes_for(cases, raw_scores)
    return CalibrationResult.from_outcomes(model_key, backend.identity, outcomes, anchors)


def ensure_calibrated(
    backend: CompletionBackend,
    cache: CalibrationCache,
    cases: list[CalibrationCase],
    *,
    model_fingerprint: str,
    cancel: threading.Event | None = None,
    progress: ProgressCallback | None = None,
) -> CalibrationResult:
    """The cached result for this model file and case set, measured and saved when missing."""
    model_key = calibration_key(model_fingerprint, cases)
    cached = cache.load(model_key)
    if cached is not None:
        return cached
    result = measure(backend, cases, model_key=model_key, cancel=cancel, progress=progress)
    cache.save(result)
    return result
