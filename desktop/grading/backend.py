"""The interface every model backend offers the grading engine (in-process llama.cpp, or an
OpenAI-compatible server), and the errors it raises. Work stopped by its cancel event raises
`desktop.core.errors.Cancelled`, which is not a `BackendError`."""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol


@dataclass(frozen=True)
class ChatMessage:
    role: str  # "system" | "user" | "assistant"
    content: str


@dataclass(frozen=True)
class Completion:
    text: str
    finish_reason: str  # "stop" | "length" | ...
    prompt_tokens: int = 0
    completion_tokens: int = 0


class BackendError(Exception):
    """A model backend failed; the message becomes the `ungraded` reason."""


class BackendUnavailable(BackendError):
    """No model (missing file, refused connection, failed load)."""


class BackendTimeout(BackendError):
    pass


class MalformedReply(BackendError):
    pass


TextCallback = Callable[[str], None]


class CompletionBackend(Protocol):
    """One model behind one lock. `prefill` warms the KV cache with everything up to
    `placeholder` in the rendered prompt (best effort, a no-op where unsupported).

    `choose` answers a closed question: the probability of each choice being the first word of
    the reply (a server that gives no probabilities puts all of it on the choice it made).
    `deadline` (a `time.monotonic()` value) bounds a call on top of the settings' timeout, so a
    grade of several calls is bounded as a whole.
    """

    @property
    def identity(self) -> str: ...

    def prefill(
        self,
        messages: Sequence[ChatMessage],
        placeholder: str,
        *,
        cancel: threading.Event | None = None,
    ) -> None: ...

    def complete(
        self,
        messages: Sequence[ChatMessage],
        *,
        schema: dict[str, Any] | None,
        max_tokens: int,
        cancel: threading.Event | None = None,
        on_text: TextCallback | None = None,
        deadline: float | None = None,
    ) -> Completion: ...

    def choose(
        self,
        messages: Sequence[ChatMessage],
        choices: Sequence[str],
        *,
        cancel: threading.Event | None = None,
        deadline: float | None = None,
    ) -> tuple[float, ...]: ...

    def close(self) -> None: ...
