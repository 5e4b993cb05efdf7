"""Fixtures for grading tests: a scripted backend for the edge cases no real model produces on
demand, and the real embedded model (loaded once per test session)."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator, Sequence
from typing import Any

import pytest

from desktop.grading.backend import BackendError, ChatMessage, Completion, TextCallback
from desktop.grading.local import LocalLlamaBackend
from desktop.grading.settings import ModelSettings

Reply = str | BackendError | Callable[[threading.Event | None], Completion]


class ScriptedBackend:
    """Replies from a script, in order: text (streamed in small pieces), an error to raise, or a
    function of the cancel event. Records every call."""

    def __init__(self, replies: Sequence[Reply], *, finish_reason: str = "stop") -> None:
        self.replies = list(replies)
        self.finish_reason = finish_reason
        self.calls: list[list[ChatMessage]] = []
        self.prefills: list[str] = []
        self.closed = False

    @property
    def identity(self) -> str:
        return "scripted"

    def prefill(self, messages: Sequence[ChatMessage], placeholder: str) -> None:
        self.prefills.append(messages[-1].content.split(placeholder)[0])

    def complete(
        self,
        messages: Sequence[ChatMessage],
        *,
        schema: dict[str, Any] | None,
        max_tokens: int,
        cancel: threading.Event | None = None,
        on_text: TextCallback | None = None,
    ) -> Completion:
        self.calls.append(list(messages))
        reply = self.replies.pop(0) if self.replies else '{"feedback": ""}'
        if isinstance(reply, BackendError):
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
    return ScriptedBackend


@pytest.fixture(scope="session")
def embedded_backend() -> Iterator[LocalLlamaBackend]:
    """The real SmolLM2-135M-Instruct, shared by the tests that need a model. One thread: with
    two, llama.cpp's threads wait on each other whenever anything else wants the CPU."""
    backend = LocalLlamaBackend(ModelSettings(model="embedded", n_ctx=4096, n_threads=1))
    backend.load()
    yield backend
    backend.close()
