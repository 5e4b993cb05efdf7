"""Asking the model for its verdicts: one constrained completion, checked, retried once.

Cancellation, timeouts and a missing model propagate as `BackendError`s for the engine to turn
into `ungraded`; unusable output (malformed JSON, repetition, an echo, empty feedback) is retried
once and then reported as a failure, never patched into a verdict.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

from desktop.core.grades import FeedbackCallback, GradingTask
from desktop.grading.backend import (
    BackendCancelled,
    BackendError,
    BackendTimeout,
    BackendUnavailable,
    CompletionBackend,
)
from desktop.grading.degenerate import degeneration
from desktop.grading.prompts import (
    ANSWER_PLACEHOLDER,
    grading_messages,
    instructions_text,
    reply_schema,
    reply_token_budget,
)
from desktop.grading.verdicts import FeedbackStream, ModelReply, parse_reply

MAX_ATTEMPTS = 2
# Errors that retrying cannot fix, or that the learner asked for.
_FINAL = (BackendCancelled, BackendTimeout, BackendUnavailable)


@dataclass(frozen=True)
class JudgeOutcome:
    """The model's usable reply, or why there is none after `attempts` tries."""

    reply: ModelReply | None
    failure: str
    attempts: int


class ModelJudge:
    """Prompts a backend for per-key-point verdicts."""

    def __init__(self, backend: CompletionBackend) -> None:
        self.backend = backend

    def prepare(self, task: GradingTask, key_points: tuple[str, ...]) -> None:
        self.backend.prefill(
            grading_messages(task, key_points, ANSWER_PLACEHOLDER), ANSWER_PLACEHOLDER
        )

    def ask(
        self,
        task: GradingTask,
        key_points: tuple[str, ...],
        answer: str,
        *,
        cancel: threading.Event | None = None,
        on_feedback: FeedbackCallback | None = None,
    ) -> JudgeOutcome:
        failure = ""
        for attempt in range(1, MAX_ATTEMPTS + 1):
            stream = FeedbackStream()

            def forward(chunk: str, stream: FeedbackStream = stream) -> None:
                delta = stream.feed(chunk)
                if delta and on_feedback is not None:
                    on_feedback(delta)

            try:
                completion = self.backend.complete(
                    grading_messages(task, key_points, answer, retry=attempt > 1),
                    schema=reply_schema(len(key_points)),
                    max_tokens=reply_token_budget(len(key_points)),
                    cancel=cancel,
                    on_text=forward,
                )
                if completion.finish_reason == "length":
                    failure = "the model ran out of room before finishing its reply"
                    continue
                reply = parse_reply(completion.text, len(key_points))
            except _FINAL:
                raise
            except BackendError as error:
                failure = str(error)
                continue
            problem = degeneration(
                reply.feedback, answer, completion.finish_reason, instructions_text(task)
            )
            if problem is None:
                return JudgeOutcome(reply, "", attempt)
            failure = problem
        return JudgeOutcome(None, failure, MAX_ATTEMPTS)
