"""Asking the model: one closed question per key point, then (optionally) a feedback sentence.

A verdict is the probability the model gives to "yes" as the first word of its reply: no
tokens are generated, so a verdict costs one short prompt evaluation and cannot be malformed.
Cancellation, timeouts and a missing model propagate as `BackendError`s for the engine to turn
into a labelled result; a feedback sentence that says nothing (repetition, an echo) is dropped,
never shown as the model's judgement.
"""

from __future__ import annotations

import re
import threading

from desktop.core.grading.grades import GradingTask
from desktop.grading.backend import (
    BackendError,
    BackendTimeout,
    BackendUnavailable,
    CompletionBackend,
    TextCallback,
)
from desktop.grading.evidence.evidence import derive_key_points
from desktop.grading.judging.degenerate import degeneration
from desktop.grading.judging.prompts import (
    ANSWER_PLACEHOLDER,
    FEEDBACK_MAX_TOKENS,
    MAX_PROMPT_ANSWER_CHARS,
    VERDICT_CHOICES,
    feedback_messages,
    instructions_text,
    point_messages,
    prefix_messages,
)

# Errors that retrying or carrying on cannot fix (a cancel is not a BackendError: it passes).
FINAL_ERRORS = (BackendTimeout, BackendUnavailable)
_SENTENCE_END = re.compile(r"(?<=[.!?])\s")


class ModelJudge:
    """Prompts a backend for per-key-point verdicts and a feedback sentence."""

    def __init__(self, backend: CompletionBackend) -> None:
        self.backend = backend

    def prepare(self, task: GradingTask, cancel: threading.Event | None = None) -> None:
        self.backend.prefill(prefix_messages(task), ANSWER_PLACEHOLDER, cancel=cancel)

    def point(
        self,
        task: GradingTask,
        answer: str,
        key_point: str,
        *,
        cancel: threading.Event | None = None,
        deadline: float | None = None,
    ) -> float:
        """The model's probability that `answer` states `key_point` correctly."""
        probabilities = self.backend.choose(
            point_messages(task, answer, key_point),
            VERDICT_CHOICES,
            cancel=cancel,
            deadline=deadline,
        )
        return probabilities[0]

    def raw_score(
        self, task: GradingTask, answer: str, *, cancel: threading.Event | None = None
    ) -> float | None:
        """The mean probability over the task's key points; None when the model failed."""
        points = derive_key_points(task)
        bounded = answer.strip()[:MAX_PROMPT_ANSWER_CHARS]
        try:
            values = [self.point(task, bounded, point, cancel=cancel) for point in points]
        except FINAL_ERRORS:
            raise
        except BackendError:
            return None
        return sum(values) / len(values) if values else None

    def feedback(
        self,
        task: GradingTask,
        answer: str,
        missing: list[str],
        *,
        cancel: threading.Event | None = None,
        deadline: float | None = None,
        on_text: TextCallback | None = None,
    ) -> str:
        """One sentence naming what is missing or wrong; "" when the model said nothing."""
        completion = self.backend.complete(
            feedback_messages(task, answer, missing),
            schema=None,
            max_tokens=FEEDBACK_MAX_TOKENS,
            cancel=cancel,
            on_text=on_text,
            deadline=deadline,
        )
        text = completion.text.strip()
        finish = completion.finish_reason
        if finish == "length":
            sentences = _SENTENCE_END.split(text)
            if len(sentences) > 1:  # keep the sentences that were finished
                text, finish = " ".join(sentences[:-1]), "stop"
        problem = degeneration(text, answer, finish, instructions_text(task))
        return "" if problem is not None else text
