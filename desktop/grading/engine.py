"""The grading engine: key-point evidence and checks, combined with a model's verdicts in the
proportion its measured reliability earns.

Implements the core `Grader` Protocol. Without a model, grades rest on evidence alone and say
so. With one, a cancelled, timed-out or unavailable model gives `ungraded` with the reason;
output that stays unusable after one retry gives an evidence-only grade that is labelled as such
(`evidence_only` flag), never a number the model did not support.
"""

from __future__ import annotations

import contextlib
import threading
import time
from typing import Any

from desktop.core.calibration import CalibrationResult
from desktop.core.grades import FeedbackCallback, Grade, GradeStatus, GradingTask
from desktop.grading.assessment import Assessment, assess
from desktop.grading.backend import BackendCancelled, BackendError, CompletionBackend
from desktop.grading.evidence import derive_key_points
from desktop.grading.judge import JudgeOutcome, ModelJudge
from desktop.grading.scoring import combine, compose_feedback

EVIDENCE_ONLY = "key-point evidence only"
UNMEASURED = (
    "this model's reliability has not been measured yet — grades lean on key-point evidence"
)


class GradingEngine:
    """Grades answers with an optional model backend (`None` means evidence only).

    `reliability` is the model's calibration result, or an explicit weight in [0, 1] for its
    verdicts; unmeasured models get no weight until calibrated (see `use_calibration`).
    """

    def __init__(
        self,
        backend: CompletionBackend | None,
        *,
        reliability: CalibrationResult | float | None = None,
    ) -> None:
        self._judge = ModelJudge(backend) if backend is not None else None
        self._weight = 0.0
        self._reliability_note = UNMEASURED if backend is not None else ""
        if isinstance(reliability, CalibrationResult):
            self.use_calibration(reliability)
        elif reliability is not None:
            self._weight = max(0.0, min(1.0, float(reliability)))
            self._reliability_note = f"model verdicts weighted {self._weight:.2f} by choice"

    @property
    def backend(self) -> CompletionBackend | None:
        return self._judge.backend if self._judge is not None else None

    @property
    def identity(self) -> str:
        if self._judge is None:
            return EVIDENCE_ONLY
        return f"{self._judge.backend.identity} + key-point evidence"

    @property
    def model_weight(self) -> float:
        return self._weight

    @property
    def reliability_note(self) -> str:
        return self._reliability_note

    def use_calibration(self, result: CalibrationResult) -> None:
        self._weight = result.model_weight
        self._reliability_note = result.sentence

    def prepare(self, task: GradingTask) -> None:
        """Evaluates the prompt's stable prefix now, so a submit only processes the answer."""
        if self._judge is None:
            return
        # Best effort: `grade` reports the same trouble with its reason.
        with contextlib.suppress(BackendError):
            self._judge.prepare(task, derive_key_points(task))

    def grade(
        self,
        task: GradingTask,
        answer: str,
        *,
        cancel: threading.Event | None = None,
        on_feedback: FeedbackCallback | None = None,
    ) -> Grade:
        started = time.monotonic()

        def elapsed() -> int:
            return int((time.monotonic() - started) * 1000)

        if not answer.strip():
            return Grade.ungraded("the answer is empty", model=self.identity)
        assessment = assess(task, answer)
        if not assessment.key_points:
            return Grade.ungraded("the question has no reference answer to grade against")
        if self._judge is None:
            return self._evidence_grade(assessment, "", elapsed())
        if cancel is not None and cancel.is_set():
            return Grade.ungraded("cancelled", model=self.identity, elapsed_ms=elapsed())
        try:
            outcome = self._judge.ask(
                task,
                assessment.key_points,
                assessment.model_answer,
                cancel=cancel,
                on_feedback=on_feedback,
            )
        except BackendCancelled:
            return Grade.ungraded("cancelled", model=self.identity, elapsed_ms=elapsed())
        except BackendError as error:
            return Grade.ungraded(str(error), model=self.identity, elapsed_ms=elapsed())
        if outcome.reply is None:
            return self._evidence_grade(assessment, outcome.failure, elapsed(), outcome)
        combined = combine(assessment, outcome.reply, self._weight)
        return Grade(
            status=GradeStatus.GRADED,
            score=combined.score,
            key_points=combined.key_points,
            feedback=compose_feedback(
                outcome.reply.feedback, combined.key_points, assessment.findings
            ),
            model=self.identity,
            elapsed_ms=elapsed(),
            flags=assessment.flags,
            details=self._details(assessment, outcome),
        )

    def _evidence_grade(
        self,
        assessment: Assessment,
        model_failure: str,
        elapsed_ms: int,
        outcome: JudgeOutcome | None = None,
    ) -> Grade:
        combined = combine(assessment, None, 0.0)
        model = EVIDENCE_ONLY
        reason = ""
        if self._judge is not None:
            model = f"{EVIDENCE_ONLY} ({self._judge.backend.identity} output unusable)"
            reason = f"{model_failure}; graded on key-point evidence only"
        return Grade(
            status=GradeStatus.GRADED,
            score=combined.score,
            key_points=combined.key_points,
            feedback=compose_feedback("", combined.key_points, assessment.findings),
            reason=reason,
            model=model,
            elapsed_ms=elapsed_ms,
            flags=(*assessment.flags, "evidence_only"),
            details=self._details(assessment, outcome),
        )

    def _details(self, assessment: Assessment, outcome: JudgeOutcome | None) -> dict[str, Any]:
        details: dict[str, Any] = {
            "evidence_score": round(assessment.evidence_score, 4),
            "evidence": [point.coverage for point in assessment.evidence],
            "model_weight": self._weight if outcome and outcome.reply else 0.0,
        }
        if self._judge is not None:
            details["reliability"] = self._reliability_note
        if outcome is not None:
            details["attempts"] = outcome.attempts
            if outcome.reply is not None:
                details["model_score"] = round(outcome.reply.score, 4)
                details["model_verdicts"] = [verdict.value for verdict in outcome.reply.verdicts]
        return details

    def close(self) -> None:
        if self._judge is not None:
            self._judge.backend.close()
