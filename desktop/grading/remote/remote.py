"""A model on an OpenAI-compatible server (llama-cpp-python's `llama_cpp.server`, llama.cpp's
llama-server, vLLM, Ollama ...) behind the same `CompletionBackend` interface as the in-process
model, with the same JSON-schema constrained output. Standard library only.

The schema is sent the standard way (`json_schema`); a server that rejects that form (as
`llama_cpp.server` does) gets llama.cpp's `json_object` + `schema` form instead, once, and keeps it.
The settings' timeout bounds the whole exchange of each request (`ReplyWatch`), and a cancel
stops it at once, whatever the server sends or withholds.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Sequence
from typing import Any

from desktop.core.errors import Cancelled
from desktop.grading.backend import (
    BackendUnavailable,
    ChatMessage,
    Completion,
    TextCallback,
)
from desktop.grading.remote.remote_http import (
    RequestRejected,
    open_request,
    read_body,
    read_lines,
    server_base_url,
)
from desktop.grading.remote.reply_watch import ReplyWatch
from desktop.grading.remote.server_reply import (
    chosen_answer,
    completion_from_json,
    completion_from_stream,
    first_model_name,
)
from desktop.grading.settings import ModelSettings

_SCHEMA_STYLES = ("json_schema", "json_object")


def resolve_api_key(settings: ModelSettings) -> str:
    """The key from the environment variable the settings name, else from the settings."""
    from_environment = os.environ.get(settings.api_key_env, "") if settings.api_key_env else ""
    return from_environment.strip() or settings.api_key


def response_format(schema: dict[str, Any], style: str) -> dict[str, Any]:
    if style == "json_schema":
        return {"type": "json_schema", "json_schema": {"name": "grade", "schema": schema}}
    return {"type": "json_object", "schema": schema}


class RemoteBackend:
    """One server, one request at a time (like the in-process model, so grades queue the same)."""

    def __init__(self, settings: ModelSettings) -> None:
        self._settings = settings
        self._base_url = server_base_url(settings.model)
        self._api_key = resolve_api_key(settings)
        self._model_name = settings.remote_model_name.strip()
        self._schema_style = _SCHEMA_STYLES[0]
        self._lock = threading.Lock()
        self._closed = False

    @property
    def identity(self) -> str:
        return f"{self._model_name or 'model'} at {self._base_url}"

    @property
    def base_url(self) -> str:
        return self._base_url

    def model_name(self) -> str:
        """The configured model name, else the first model the server lists."""
        if not self._model_name:
            url = f"{self._base_url}/models"
            watch = ReplyWatch(url, self._settings.timeout_s)
            response = self._open(url, None, watch)
            try:
                raw = read_body(response, watch)
            finally:
                response.close()
            self._model_name = first_model_name(raw, url)
        return self._model_name

    def prefill(
        self,
        messages: Sequence[ChatMessage],
        placeholder: str,
        *,
        cancel: threading.Event | None = None,
    ) -> None:
        """A no-op: servers keep their own prompt cache (llama.cpp reuses a shared prefix)."""

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
        with self._lock:
            if self._closed:
                raise BackendUnavailable("The model server connection was closed.")
            if cancel is not None and cancel.is_set():
                raise Cancelled
            body: dict[str, Any] = {
                "model": self.model_name(),
                "messages": [{"role": m.role, "content": m.content} for m in messages],
                "max_tokens": max_tokens,
                "temperature": self._settings.temperature,
                "seed": self._settings.seed,
                # Streaming lets a cancel take effect between tokens.
                "stream": cancel is not None or on_text is not None,
            }
            if schema is None:
                return self._send(body, cancel, on_text, deadline)
            body["response_format"] = response_format(schema, self._schema_style)
            try:
                return self._send(body, cancel, on_text, deadline)
            except RequestRejected as rejected:
                about_the_schema = "response_format" in str(rejected) or "schema" in str(rejected)
                if self._schema_style == _SCHEMA_STYLES[-1] or not about_the_schema:
                    raise
                self._schema_style = _SCHEMA_STYLES[-1]
                body["response_format"] = response_format(schema, self._schema_style)
                return self._send(body, cancel, on_text, deadline)

    def choose(
        self,
        messages: Sequence[ChatMessage],
        choices: Sequence[str],
        *,
        cancel: threading.Event | None = None,
        deadline: float | None = None,
    ) -> tuple[float, ...]:
        """The server's constrained one-word answer; all the probability goes to it."""
        schema = {
            "type": "object",
            "properties": {"answer": {"type": "string", "enum": list(choices)}},
            "required": ["answer"],
            "additionalProperties": False,
        }
        completion = self.complete(
            messages, schema=schema, max_tokens=16, cancel=cancel, deadline=deadline
        )
        answer = chosen_answer(completion.text, choices, self._base_url)
        return tuple(1.0 if choice == answer else 0.0 for choice in choices)

    def close(self) -> None:
        self._closed = True

    def _open(self, url: str, body: dict[str, Any] | None, watch: ReplyWatch) -> Any:
        return open_request(url, body, api_key=self._api_key, watch=watch)

    def _send(
        self,
        body: dict[str, Any],
        cancel: threading.Event | None,
        on_text: TextCallback | None,
        deadline: float | None,
    ) -> Completion:
        url = f"{self._base_url}/chat/completions"
        watch = ReplyWatch(url, self._settings.timeout_s, deadline=deadline, cancel=cancel)
        response = self._open(url, body, watch)
        try:
            if "event-stream" not in (response.headers.get("Content-Type") or ""):
                return completion_from_json(read_body(response, watch), url)
            return completion_from_stream(read_lines(response, watch), url, on_text)
        finally:
            response.close()  # on cancel this tells the server to stop generating
