"""The grading engine: key-point evidence and checks, combined with a model's verdicts in the
proportion its measured reliability earns.

Implements the core `Grader` Protocol. A grade unfolds in three steps, each reported through
`on_progress`: the word-matching first look (milliseconds after submit), the model's verdict on
each key point replacing the word-matching one, then the model's feedback sentence. A model
whose measured weight is 0 (or that was never measured) is not asked for verdicts at all. When
no model verdict took part, or the model timed out or failed, the grade is the word-matching
score and says so (`evidence_only` flag, reason, caveat); a cancel gives `ungraded`.
"""

from __future__ import annotations

import contextlib
import threading
import time
from typing import Any

from desktop.core.grading.calibration import CalibrationResult
from desktop.core.grading.grades import (
    GRADER_ADDRESSED,
    INJECTION,
    WORD_MATCHING_CAVEAT,
    WORD_MATCHING_GRADER,
    WORD_MATCHING_ONLY,
    FeedbackText,
    FirstLook,
    Grade,
    GradeStatus,
    GradingTask,
    PointJudged,
    ProgressCallback,
    Verdict,
)
from desktop.grading.backend import (
    BackendError,
    CompletionBackend,
)
from desktop.grading.evidence.assessment import Assessment, assess
from desktop.grading.judging.judge import ModelJudge
from desktop.grading.judging.scoring import Combined, combine, compose_feedback

EVIDENCE_ONLY = WORD_MATCHING_GRADER
UNMEASURED = "this model's reliability has not been measured yet — grades use word matching"
UNTRUSTED_FEEDBACK = "Feedback from {model}, whose verdicts earned no weight: {text}"


class GradingEngine:
    """Grades answers with an optional model backend (`None` means word matching only).

    `reliability` is the model's calibration result, or an explicit weight in [0, 1] for its
    verdicts (raw probabilities then count as they are); unmeasured models get no weight until
    calibrated (see `use_calibration`). `timeout_s` bounds a whole grade; `feedback` asks the
    model for its sentence after the score.
    """

    def __init__(
        self,
        backend: CompletionBackend | None,
        *,
        reliability: CalibrationResult | float | None = None,
        timeout_s: float | None = None,
        feedback: bool = True,
    ) -> None:
        self._judge = ModelJudge(backend) if backend is not None else None
        self._calibration: CalibrationResult | None = None
        self._weight = 0.0
        self._reliability_note = UNMEASURED if backend is not None else ""
        self._timeout_s = timeout_s
        self._feedback = feedback
        # The first look's assessment, which the grade of the same answer reuses (the first look
        # runs on the quick lane just before the grade on the model lane).
        self._assessed: tuple[GradingTask, str, Assessment] | None = None
        self._assessed_lock = threading.Lock()
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
        if self._judge is None or self._weight <= 0:
            return EVIDENCE_ONLY
        return f"{self._judge.backend.identity} + key-point evidence"

    @property
    def model_weight(self) -> float:
        return self._weight

    @property
    def reliability_note(self) -> str:
        return self._reliability_note

    def use_calibration(self, result: CalibrationResult) -> None:
        self._calibration = result
        self._weight = result.model_weight
        self._reliability_note = result.sentence

    def _model_value(self, raw: float) -> float:
        return self._calibration.model_value(raw) if self._calibration is not None else raw

    def prepare(self, task: GradingTask, cancel: threading.Event | None = None) -> None:
        """Evaluates the prompt's stable prefix now, so a submit only processes the answer."""
        if self._judge is None or self._weight <= 0:
            return
        # Best effort: `grade` reports the same trouble with its reason.
        with contextlib.suppress(BackendError):
            self._judge.prepare(task, cancel)

    def _assess(self, task: GradingTask, answer: str) -> Assessment:
        """What word matching and the checks find in `answer`, once per answer: a grade reuses
        the assessment its first look made."""
        with self._assessed_lock:
            kept = self._assessed
        if kept is not None and kept[0] == task and kept[1] == answer:
            return kept[2]
        assessment = assess(task, answer)
        with self._assessed_lock:
            self._assessed = (task, answer, assessment)
        return assessment

    def first_look(self, task: GradingTask, answer: str) -> FirstLook | None:
        if not answer.strip():
            return None
        assessment = self._assess(task, answer)
        if not assessment.key_points:
            return None
        first = combine(assessment)
        return FirstLook(first.score, first.key_points)

    def grade(
        self,
        task: GradingTask,
        answer: str,
        *,
        cancel: threading.Event | None = None,
        on_progress: ProgressCallback | None = None,
    ) -> Grade:
        run = _GradeRun(self, task, cancel, on_progress)
        if not answer.strip():
            return Grade.ungraded("the answer is empty", model=self.identity)
        assessment = self._assess(task, answer)
        if not assessment.key_points:
            return Grade.ungraded("the question has no reference answer to grade against")
        first = combine(assessment)
        run.report(FirstLook(first.score, first.key_points))
        judge = self._judge
        if judge is None or self._weight <= 0:
            return self._word_matching(run, assessment, first, "")
        values: list[float | None] = []
        try:
            for index, point in enumerate(assessment.key_points):
                raw = judge.point(
                    task, assessment.model_answer, point, cancel=cancel, deadline=run.deadline
                )
                values.append(self._model_value(raw))
                running = combine(assessment, values, self._weight)
                run.report(PointJudged(index, running.key_points[index], running.score))
        except BackendError as error:
            return self._word_matching(run, assessment, first, f"{error}")
        combined = combine(assessment, values, self._weight)
        score_ms = run.elapsed()
        feedback = ""
        # A model that may have followed the answer's instructions writes no feedback on it.
        instructs = INJECTION in assessment.flags
        held_back = combined.held_back and not instructs  # the injection cap says it all
        suspect = combined.held_back or instructs
        if self._feedback and not suspect:
            try:
                feedback = run.feedback(judge, assessment, combined)
            except BackendError:
                feedback = ""  # the score stands; the sentence is optional
        return Grade(
            status=GradeStatus.GRADED,
            score=combined.score,
            key_points=combined.key_points,
            feedback=compose_feedback(
                feedback, combined.key_points, assessment.findings, held_back
            ),
            model=self.identity,
            elapsed_ms=run.elapsed(),
            score_ms=score_ms,
            flags=(*assessment.flags, *((GRADER_ADDRESSED,) if held_back else ())),
            details=self._details(assessment, values),
        )

    def _word_matching(
        self, run: _GradeRun, assessment: Assessment, first: Combined, failure: str
    ) -> Grade:
        """The first look as the grade, labelled: no model verdict took part."""
        score_ms = run.elapsed()
        reason = f"{failure}; graded by word matching only" if failure else ""
        lines = [compose_feedback("", first.key_points, assessment.findings), WORD_MATCHING_CAVEAT]
        judge = self._judge
        if judge is not None and not failure and self._feedback:
            with contextlib.suppress(BackendError):
                text = run.feedback(judge, assessment, first)
                if text:
                    model = judge.backend.identity
                    lines.insert(0, UNTRUSTED_FEEDBACK.format(model=model, text=text))
        return Grade(
            status=GradeStatus.GRADED,
            score=first.score,
            key_points=first.key_points,
            feedback="\n".join(line for line in lines if line),
            reason=reason,
            model=EVIDENCE_ONLY,
            elapsed_ms=run.elapsed(),
            score_ms=score_ms,
            flags=(*assessment.flags, WORD_MATCHING_ONLY),
            details=self._details(assessment, []),
        )

    def _details(self, assessment: Assessment, values: list[float | None]) -> dict[str, Any]:
        details: dict[str, Any] = {
            "evidence_score": round(assessment.evidence_score, 4),
            "evidence": [point.coverage for point in assessment.evidence],
            "model_weight": self._weight if values else 0.0,
        }
        if self._judge is not None:
            details["reliability"] = self._reliability_note
        if values:
            details["model_verdicts"] = [round(value or 0.0, 4) for value in values]
        return details

    def close(self) -> None:
        if self._judge is not None:
            self._judge.backend.close()


class _GradeRun:
    """One grade's clock, deadline and progress reports."""

    def __init__(
        self,
        engine: GradingEngine,
        task: GradingTask,
        cancel: threading.Event | None,
        on_progress: ProgressCallback | None,
    ) -> None:
        self.started = time.monotonic()
        timeout = engine._timeout_s
        self.deadline = self.started + timeout if timeout else None
        self.engine = engine
        self.task = task
        self.cancel = cancel
        self._on_progress = on_progress

    def elapsed(self) -> int:
        return int((time.monotonic() - self.started) * 1000)

    def report(self, event: FirstLook | PointJudged | FeedbackText) -> None:
        if self._on_progress is not None:
            self._on_progress(event)

    def feedback(self, judge: ModelJudge, assessment: Assessment, combined: Combined) -> str:
        """The model's sentence on what is missing; none for an answer that states the opposite
        of a claim: the checks' own line names those claims, and a small model's sentence about
        an opposite garbles it ("does not state that scaling is not needed")."""
        if any(point.contradicted for point in assessment.evidence):
            return ""
        missing = [kp.text for kp in combined.key_points if kp.verdict is not Verdict.COVERED]
        return judge.feedback(
            self.task,
            assessment.model_answer,
            missing,
            cancel=self.cancel,
            deadline=self.deadline,
            on_text=lambda text: self.report(FeedbackText(text)),
        )
