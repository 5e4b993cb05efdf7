"""A model on an OpenAI-compatible server (llama-cpp-python's `llama_cpp.server`, llama.cpp's
llama-server, vLLM, Ollama ...) behind the same `CompletionBackend` interface as the in-process
model, with the same JSON-schema constrained output. Standard library only.

The schema is sent the standard way (`json_schema`); a server that rejects that form (as
`llama_cpp.server` does) gets llama.cpp's `json_object` + `schema` form instead, once, and keeps it.
"""

from __future__ import annotations

import json
import os
import threading
import time
from collections.abc import Sequence
from typing import Any

from desktop.core.errors import Cancelled
from desktop.grading.backend import (
    BackendTimeout,
    BackendUnavailable,
    ChatMessage,
    Completion,
    TextCallback,
)
from desktop.grading.remote_http import (
    MalformedServerReply,
    RequestRejected,
    event_stream,
    open_request,
    read_json,
    server_base_url,
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
            listing = read_json(self._open(url, None), url, self._settings.timeout_s)
            try:
                self._model_name = str(listing["data"][0]["id"])
            except (KeyError, IndexError, TypeError):
                raise MalformedServerReply(f"The model server at {url} lists no model.") from None
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
        try:
            answer = str(json.loads(completion.text, strict=False)["answer"]).strip().lower()
        except (ValueError, KeyError, TypeError):
            raise MalformedServerReply(
                "The model server's answer is not one of the choices."
            ) from None
        if answer not in choices:
            raise MalformedServerReply(f"The model server answered {answer!r}, not a choice.")
        return tuple(1.0 if choice == answer else 0.0 for choice in choices)

    def close(self) -> None:
        self._closed = True

    def _open(self, url: str, body: dict[str, Any] | None) -> Any:
        return open_request(url, body, api_key=self._api_key, timeout_s=self._settings.timeout_s)

    def _send(
        self,
        body: dict[str, Any],
        cancel: threading.Event | None,
        on_text: TextCallback | None,
        deadline: float | None,
    ) -> Completion:
        url = f"{self._base_url}/chat/completions"
        response = self._open(url, body)
        is_stream = "event-stream" in (response.headers.get("Content-Type") or "")
        if not is_stream:
            return _completion_from_reply(read_json(response, url, self._settings.timeout_s), url)
        try:
            return self._read_stream(response, url, cancel, on_text, deadline)
        finally:
            response.close()  # on cancel this tells the server to stop generating

    def _read_stream(
        self,
        response: Any,
        url: str,
        cancel: threading.Event | None,
        on_text: TextCallback | None,
        deadline: float | None,
    ) -> Completion:
        limit = time.monotonic() + self._settings.timeout_s
        deadline = limit if deadline is None else min(limit, deadline)
        pieces: list[str] = []
        finish_reason = ""
        usage: dict[str, Any] = {}
        events = 0
        for event in event_stream(response, url, self._settings.timeout_s):
            events += 1
            if cancel is not None and cancel.is_set():
                raise Cancelled
            if time.monotonic() > deadline:
                raise BackendTimeout(
                    f"The model server at {url} took longer than {self._settings.timeout_s:g} s."
                )
            _raise_for_error_event(event, url)
            usage = event.get("usage") or usage
            choice = _first_choice(event, url, allow_empty=True)
            if choice is None:
                continue
            text = (choice.get("delta") or {}).get("content") or ""
            if text:
                pieces.append(text)
                if on_text is not None:
                    on_text(text)
            finish_reason = choice.get("finish_reason") or finish_reason
        if events == 0:
            raise MalformedServerReply(f"The model server at {url} sent an empty stream.")
        return Completion(
            text="".join(pieces),
            finish_reason=finish_reason or "stop",
            prompt_tokens=int(usage.get("prompt_tokens") or 0),
            completion_tokens=int(usage.get("completion_tokens") or 0),
        )


def _first_choice(reply: Any, url: str, *, allow_empty: bool = False) -> dict[str, Any] | None:
    choices = reply.get("choices") if isinstance(reply, dict) else None
    if isinstance(choices, list) and choices and isinstance(choices[0], dict):
        return choices[0]
    if allow_empty and isinstance(choices, list):
        return None
    raise MalformedServerReply(f"The model server at {url} sent a reply without choices.")


def _raise_for_error_event(reply: dict[str, Any], url: str) -> None:
    error = reply.get("error")
    if error:
        message = error.get("message", error) if isinstance(error, dict) else error
        raise BackendUnavailable(f"The model server at {url} reported an error: {message}")


def _completion_from_reply(reply: Any, url: str) -> Completion:
    if isinstance(reply, dict):
        _raise_for_error_event(reply, url)
    choice = _first_choice(reply, url)
    assert choice is not None
    message = choice.get("message")
    content = message.get("content") if isinstance(message, dict) else None
    if not isinstance(content, str):
        raise MalformedServerReply(f"The model server at {url} sent a reply without text.")
    usage = reply.get("usage") or {}
    return Completion(
        text=content,
        finish_reason=str(choice.get("finish_reason") or "stop"),
        prompt_tokens=int(usage.get("prompt_tokens") or 0),
        completion_tokens=int(usage.get("completion_tokens") or 0),
    )
