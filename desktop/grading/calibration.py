"""Measuring how often a model's verdicts agree with known grades, once per model file.

Cases come from the held-in set shipped in `resources/calibration/` and from the bank's trap
questions (each gives a known-wrong answer and its correct reference answer). Only the model's
own verdicts are scored here (no evidence), so the result says how far the model can be trusted
on its own; `core.calibration.model_weight_for` turns that into its weight in a grade.
"""

from __future__ import annotations

import hashlib
import json
import threading
from collections.abc import Callable, Iterable
from pathlib import Path

from desktop.core.calibration import (
    CalibrationCache,
    CalibrationCase,
    CalibrationResult,
    CaseOutcome,
    agrees,
)
from desktop.core.errors import VivaError
from desktop.core.grades import GradingTask
from desktop.core.questions import ParsedQuestion, Question, QuestionKind
from desktop.grading.backend import CompletionBackend
from desktop.grading.evidence import derive_key_points
from desktop.grading.judge import ModelJudge
from desktop.paths import resources_dir

ProgressCallback = Callable[[int, int], None]
_FINGERPRINT_SPAN = 1024 * 1024


def held_in_cases(path: Path | None = None) -> list[CalibrationCase]:
    """The shipped cases: for every question, a correct and a wrong answer."""
    source = path or resources_dir() / "calibration" / "cases.json"
    try:
        data = json.loads(source.read_text(encoding="utf-8"))
        cases: list[CalibrationCase] = []
        for item in data["questions"]:
            task = GradingTask(item["prompt"], item["reference"], tuple(item["key_points"]))
            cases.append(CalibrationCase(f"{item['name']}/good", task, item["good"], True))
            cases.append(CalibrationCase(f"{item['name']}/bad", task, item["bad"], False))
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise VivaError(f"The calibration cases in {source} cannot be read: {error}") from error
    return cases


def trap_cases(questions: Iterable[Question | ParsedQuestion]) -> list[CalibrationCase]:
    """Two cases per trap question with a known-wrong answer: that answer, and the reference.
    Takes stored questions or questions straight from a notes file."""
    cases: list[CalibrationCase] = []
    for question in questions:
        if question.kind is not QuestionKind.TRAP or not (question.wrong_answer or "").strip():
            continue
        task = GradingTask(
            prompt=question.prompt,
            reference=question.reference,
            key_points=question.key_points,
            kind=question.kind.value,
            question_id=question.id if isinstance(question, Question) else None,
            wrong_answer=question.wrong_answer,
        )
        name = f"trap {question.identity}"
        wrong = question.wrong_answer or ""
        cases.append(CalibrationCase(f"{name}/wrong", task, wrong, False, source="bank trap"))
        cases.append(
            CalibrationCase(f"{name}/correct", task, question.reference, True, source="bank trap")
        )
    return cases


def standard_cases(
    bank_questions: Iterable[Question | ParsedQuestion] = (),
) -> list[CalibrationCase]:
    """The held-in cases plus two cases per trap question of the bank."""
    return held_in_cases() + trap_cases(bank_questions)


def cases_digest(cases: Iterable[CalibrationCase]) -> str:
    """Identifies a case set, so a changed set is measured again."""
    digest = hashlib.sha256()
    for case in cases:
        for part in (case.name, case.task.prompt, case.task.reference, case.answer):
            digest.update(part.encode("utf-8"))
            digest.update(b"\0")
        digest.update(b"1" if case.expected_correct else b"0")
    return digest.hexdigest()[:16]


def file_fingerprint(path: Path) -> str:
    """A cheap content fingerprint of a model file: its size and its first and last MiB."""
    size = path.stat().st_size
    digest = hashlib.sha256(str(size).encode("ascii"))
    with path.open("rb") as handle:
        digest.update(handle.read(_FINGERPRINT_SPAN))
        if size > _FINGERPRINT_SPAN:
            handle.seek(max(_FINGERPRINT_SPAN, size - _FINGERPRINT_SPAN))
            digest.update(handle.read(_FINGERPRINT_SPAN))
    return digest.hexdigest()[:24]


def measure(
    backend: CompletionBackend,
    cases: list[CalibrationCase],
    *,
    model_key: str,
    cancel: threading.Event | None = None,
    progress: ProgressCallback | None = None,
) -> CalibrationResult:
    """Grades every case with the model's verdicts alone; unusable output counts as a miss.
    Cancellation, a timeout or a missing model raise the backend's error."""
    judge = ModelJudge(backend)
    outcomes: list[CaseOutcome] = []
    for done, case in enumerate(cases):
        if progress is not None:
            progress(done, len(cases))
        key_points = derive_key_points(case.task)
        result = judge.ask(case.task, key_points, case.answer, cancel=cancel)
        score = result.reply.score if result.reply is not None else None
        outcomes.append(
            CaseOutcome(
                case.name, case.expected_correct, score, agrees(case.expected_correct, score)
            )
        )
    if progress is not None:
        progress(len(cases), len(cases))
    return CalibrationResult.from_outcomes(model_key, backend.identity, tuple(outcomes))


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
    model_key = f"{model_fingerprint}/{cases_digest(cases)}"
    cached = cache.load(model_key)
    if cached is not None:
        return cached
    result = measure(backend, cases, model_key=model_key, cancel=cancel, progress=progress)
    cache.save(result)
    return result
