"""A model loads and grades one answer from the bank.

Without `--model`, the model the app would pick by default is used (the recommended model when
it is installed), else the embedded SmolLM2-135M-Instruct. The answer graded is the question's
own reference answer.

The check is about the install: it passes when the model ran and the answer was graded. Its
verdicts are given full weight here, since the check is whether they arrive, not how good they
are (the reliability check measures that).
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from desktop.core.bank.questions import Question
from desktop.core.grading.grades import GradingTask
from desktop.grading import (
    EMBEDDED_NAME,
    NO_MODEL,
    ChatMessage,
    Completion,
    CompletionBackend,
    GradingEngine,
    ModelSettings,
    TextCallback,
    build_backend,
    default_model,
    discover_models,
    embedded_model_path,
    resolve_gpu_layers,
    resolve_settings,
)
from desktop.paths import UserPaths, install_models_dir
from desktop.selfcheck.outcome import CheckFailed, CheckWarning

# Generous: the check is whether the model works at all; a slow machine says so in the timing.
GRADE_TIMEOUT_S = 300.0


@dataclass(frozen=True)
class ChosenModel:
    settings: ModelSettings
    description: str


def choose_model(spec: str | None, paths: UserPaths) -> ChosenModel:
    """The model to check: `spec` (as `--model` takes it) or the embedded model, else the
    default. Raises `CheckWarning` saying where it looked and what to do when there is none."""
    if spec:
        settings = resolve_settings(_settings(spec), paths)
        if settings.model == NO_MODEL:
            raise CheckFailed("--model none leaves nothing to check: name a model")
        return ChosenModel(settings, f"{settings.model} (chosen with --model)")
    found = default_model(discover_models(paths))
    if found is not None:
        return ChosenModel(
            _settings(str(found.path)), f"{found.name} ({found.source.value}, {found.path})"
        )
    embedded = embedded_model_path()
    if embedded is not None:
        return ChosenModel(_settings(str(embedded)), f"{EMBEDDED_NAME} (embedded, {embedded})")
    raise CheckWarning(
        "no model installed: Viva works, but grades use word matching only until one is. "
        f"Put a GGUF file into {paths.models_dir} (or {install_models_dir()}), or choose one "
        "with `viva models use FILE`; `viva selfcheck --model FILE` checks it"
    )


def _settings(model: str) -> ModelSettings:
    return ModelSettings(model=model, timeout_s=GRADE_TIMEOUT_S)


def question_to_grade(questions: Sequence[Question]) -> Question:
    """The shortest question with key points: the quickest to grade."""
    gradable = [question for question in questions if question.key_points]
    if not gradable:
        raise CheckFailed("no question in the bank has key points to grade against")
    return min(
        gradable,
        key=lambda q: (len(q.key_points), len(q.prompt) + len(q.reference), q.id),
    )


class ReplyCounter:
    """A backend that passes every call on and counts the replies the model gave, usable or
    not (the engine keeps only the usable ones)."""

    def __init__(self, backend: CompletionBackend) -> None:
        self.backend = backend
        self.replies = 0

    @property
    def identity(self) -> str:
        return self.backend.identity

    def prefill(
        self,
        messages: Sequence[ChatMessage],
        placeholder: str,
        *,
        cancel: threading.Event | None = None,
    ) -> None:
        self.backend.prefill(messages, placeholder, cancel=cancel)

    def choose(
        self,
        messages: Sequence[ChatMessage],
        choices: Sequence[str],
        *,
        cancel: threading.Event | None = None,
        deadline: float | None = None,
    ) -> tuple[float, ...]:
        probabilities = self.backend.choose(messages, choices, cancel=cancel, deadline=deadline)
        self.replies += 1
        return probabilities

    def complete(
        self,
        messages: Sequence[ChatMessage],
        *,
        schema: dict[str, Any] | None,
        max_tokens: int,
        cancel: threading.Event | None = None,
        on_text: TextCallback | None = None,
        deadline: float | None = None,
    ) -> Completion:
        completion = self.backend.complete(
            messages,
            schema=schema,
            max_tokens=max_tokens,
            cancel=cancel,
            on_text=on_text,
            deadline=deadline,
        )
        if completion.text.strip():
            self.replies += 1
        return completion

    def close(self) -> None:
        self.backend.close()


def grade_one_answer(chosen: ChosenModel, question: Question, paths: UserPaths) -> str:
    backend = build_backend(chosen.settings, paths)
    if backend is None:
        raise CheckFailed(f"{chosen.description} gives no model backend")
    where = _where(chosen.settings)
    return grade_with(backend, f"{chosen.description} {where}", question)


def grade_with(backend: CompletionBackend, model: str, question: Question) -> str:
    """Grades `question`'s reference answer with `backend`; what happened, or `CheckFailed`."""
    counter = ReplyCounter(backend)
    engine = GradingEngine(counter, reliability=1.0)
    try:
        grade = engine.grade(GradingTask.from_question(question), question.reference)
    finally:
        engine.close()
    graded = f"question {question.id} ({len(question.key_points)} key points)"
    if not grade.is_graded:
        raise CheckFailed(f"{model} did not grade {graded}: {grade.reason}")
    if counter.replies == 0:
        raise CheckFailed(f"{model} gave no reply to {graded}: {grade.reason}")
    summary = f"{model} graded {graded} in {grade.elapsed_ms / 1000:.1f} s: score {grade.score:.2f}"
    if grade.word_matching_only:
        return f"{summary}; the model replied but its verdicts were not used: {grade.reason}"
    verdicts = grade.details.get("model_verdicts", [])
    shown = ", ".join(map(str, verdicts)) if isinstance(verdicts, list) else str(verdicts)
    return f"{summary}, model verdicts {shown}"


def _where(settings: ModelSettings) -> str:
    if settings.is_remote:
        return "on its server"
    if resolve_gpu_layers(settings.n_gpu_layers) == 0:
        return "on the CPU"
    return "with layers on the GPU"
