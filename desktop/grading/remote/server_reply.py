"""Reading what an OpenAI-compatible server replied: a chat completion as one JSON object, or as
a stream of server-sent events; a model listing; a constrained one-word answer.

A reply is untrusted input: any shape, any bytes. Everything that is not what the protocol says
raises `MalformedServerReply` naming what was wrong (an error the server reports itself raises
`BackendUnavailable` with its message), never another exception. Reading is linear, and capped:
`MAX_REPLY_BYTES` for a whole reply, `MAX_LINE_BYTES` for a line of a stream.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any

from desktop.grading.backend import BackendUnavailable, Completion, MalformedReply

MAX_REPLY_BYTES = 8 * 2**20
MAX_LINE_BYTES = 2**20
_PREVIEW_CHARS = 80
_SSE_FIELDS_WITHOUT_DATA = (b"event", b"id", b"retry")


class MalformedServerReply(MalformedReply, BackendUnavailable):
    """The server's reply breaks the protocol (not JSON, no choices, not HTTP): there is no model
    output to judge or retry, so the grade is `ungraded` with this reason."""


def _preview(value: object, limit: int = _PREVIEW_CHARS) -> str:
    """A short, printable look at a value, for a message."""
    if isinstance(value, bytes):
        text = value[: limit * 4].decode("utf-8", errors="replace")
    else:
        try:
            text = repr(value)
        except RecursionError:
            text = f"a {type(value).__name__} nested too deeply"
    return text if len(text) <= limit else text[: limit - 1] + "…"


def parse_json(raw: bytes, url: str) -> Any:
    try:
        return json.loads(raw)
    except (ValueError, RecursionError):  # RecursionError: nested deeper than Python goes
        raise MalformedServerReply(
            f"The model server at {url} sent a reply that is not JSON: {_preview(raw[:160])!r}"
        ) from None


def completion_from_json(raw: bytes, url: str) -> Completion:
    """The completion in a whole (not streamed) reply."""
    reply = parse_json(raw, url)
    if isinstance(reply, dict):
        _raise_for_error(reply, url)
    choice = _first_choice(reply, url, streamed=False)
    assert choice is not None
    message = choice.get("message")
    content = message.get("content") if isinstance(message, dict) else None
    if not isinstance(content, str):
        raise MalformedServerReply(f"The model server at {url} sent a reply without text.")
    usage = _usage(reply, url)
    return Completion(
        text=content,
        finish_reason=_finish_reason(choice, url) or "stop",
        prompt_tokens=_token_count(usage, "prompt_tokens", url),
        completion_tokens=_token_count(usage, "completion_tokens", url),
    )


def stream_events(lines: Iterable[bytes], url: str) -> Iterator[dict[str, Any]]:
    """The JSON events of a server-sent event stream, until `[DONE]` or the end. `lines` are the
    stream's lines (as `readline` gives them: at most `MAX_LINE_BYTES`, with their line end)."""
    for raw_line in lines:
        if len(raw_line) > MAX_LINE_BYTES:
            raise MalformedServerReply(
                f"The model server at {url} sent a stream line longer than "
                f"{MAX_LINE_BYTES // 2**20} MiB."
            )
        line = raw_line.strip()
        if not line or line.startswith(b":"):  # keep-alive comments
            continue
        field, _, value = line.partition(b":")
        if field in _SSE_FIELDS_WITHOUT_DATA:
            continue
        if field != b"data":
            raise MalformedServerReply(
                f"The model server at {url} sent a stream line that is not an event: "
                f"{_preview(line)!r}"
            )
        payload = value.strip()
        if payload == b"[DONE]":
            return
        event = parse_json(payload, url)
        if not isinstance(event, dict):
            raise MalformedServerReply(
                f"The model server at {url} sent an event that is not an object."
            )
        yield event


class StreamedCompletion:
    """A completion put together from a stream's events."""

    def __init__(self, url: str) -> None:
        self._url = url
        self._pieces: list[str] = []
        self._finish_reason = ""
        self._usage: dict[str, Any] = {}
        self.events = 0

    def add(self, event: dict[str, Any]) -> str:
        """Takes one event in; the text it adds ("" for none)."""
        self.events += 1
        _raise_for_error(event, self._url)
        self._usage = _usage(event, self._url) or self._usage
        choice = _first_choice(event, self._url, streamed=True)
        if choice is None:
            return ""
        delta = choice.get("delta")
        if delta is None:
            delta = {}
        if not isinstance(delta, dict):
            raise MalformedServerReply(
                f"The model server at {self._url} sent a delta that is not an object: "
                f"{_preview(delta)}"
            )
        text = delta.get("content")
        if text is None:
            text = ""
        if not isinstance(text, str):
            raise MalformedServerReply(
                f"The model server at {self._url} sent content that is not text: {_preview(text)}"
            )
        self._pieces.append(text)
        self._finish_reason = _finish_reason(choice, self._url) or self._finish_reason
        return text

    def completion(self) -> Completion:
        if self.events == 0:
            raise MalformedServerReply(f"The model server at {self._url} sent an empty stream.")
        return Completion(
            text="".join(self._pieces),
            finish_reason=self._finish_reason or "stop",
            prompt_tokens=_token_count(self._usage, "prompt_tokens", self._url),
            completion_tokens=_token_count(self._usage, "completion_tokens", self._url),
        )


def completion_from_stream(
    lines: Iterable[bytes], url: str, on_text: Callable[[str], None] | None = None
) -> Completion:
    """The completion a server-sent event stream carries; `on_text` gets each piece of text."""
    streamed = StreamedCompletion(url)
    for event in stream_events(lines, url):
        text = streamed.add(event)
        if text and on_text is not None:
            on_text(text)
    return streamed.completion()


def first_model_name(raw: bytes, url: str) -> str:
    """The first model a `/models` listing names."""
    listing = parse_json(raw, url)
    data = listing.get("data") if isinstance(listing, dict) else None
    first = data[0] if isinstance(data, list) and data else None
    name = first.get("id") if isinstance(first, dict) else None
    if not isinstance(name, str | int) or isinstance(name, bool) or not str(name).strip():
        raise MalformedServerReply(f"The model server at {url} lists no model.")
    return str(name)


def chosen_answer(text: str, choices: Sequence[str], url: str) -> str:
    """The choice in a constrained reply `{"answer": CHOICE}`."""
    try:
        reply = json.loads(text, strict=False)
    except (ValueError, RecursionError):
        reply = None
    answer = reply.get("answer") if isinstance(reply, dict) else None
    if not isinstance(answer, str):
        raise MalformedServerReply(
            f"The model server at {url} gave an answer that is not one of the choices."
        )
    answer = answer.strip().lower()
    if answer not in choices:
        raise MalformedServerReply(
            f"The model server at {url} answered {_preview(answer)}, not a choice."
        )
    return answer


def error_detail(raw: bytes) -> str:
    """The message inside an HTTP error's body (`{"error": {"message"}}` or `{"detail"}`), kept
    short; the body's start when it is not JSON."""
    try:
        body = json.loads(raw)
    except (ValueError, RecursionError):
        return raw[:160].decode("utf-8", errors="replace").strip()
    if isinstance(body, dict):
        inner = body.get("error", body.get("detail", body))
        if isinstance(inner, dict):
            inner = inner.get("message", inner)
        body = inner
    return body[:160] if isinstance(body, str) else _preview(body, 160)


def _first_choice(reply: Any, url: str, *, streamed: bool) -> dict[str, Any] | None:
    """The first choice; None for a streamed event that carries none (usage, keep-alive)."""
    choices = reply.get("choices") if isinstance(reply, dict) else None
    if isinstance(choices, list) and choices and isinstance(choices[0], dict):
        return choices[0]
    if streamed and (choices is None or choices == []):
        return None
    raise MalformedServerReply(f"The model server at {url} sent a reply without choices.")


def _raise_for_error(reply: dict[str, Any], url: str) -> None:
    error = reply.get("error")
    if error:
        message = error.get("message", error) if isinstance(error, dict) else error
        text = message if isinstance(message, str) else _preview(message)
        raise BackendUnavailable(
            f"The model server at {url} reported an error: {text[:300].strip()}"
        )


def _usage(reply: dict[str, Any], url: str) -> dict[str, Any]:
    usage = reply.get("usage")
    if usage is None:
        return {}
    if not isinstance(usage, dict):
        raise MalformedServerReply(
            f"The model server at {url} sent a usage that is not an object: {_preview(usage)}"
        )
    return usage


def _token_count(usage: dict[str, Any], name: str, url: str) -> int:
    value = usage.get(name)
    if value is None:
        return 0
    is_number = isinstance(value, int | float) and not isinstance(value, bool)
    if not is_number or not math.isfinite(value) or value < 0 or value != int(value):
        raise MalformedServerReply(
            f"The model server at {url} sent a usage whose {name} is not a count of tokens: "
            f"{_preview(value)}"
        )
    return int(value)


def _finish_reason(choice: dict[str, Any], url: str) -> str:
    reason = choice.get("finish_reason")
    if reason is None:
        return ""
    if not isinstance(reason, str):
        raise MalformedServerReply(
            f"The model server at {url} sent a finish_reason that is not text: {_preview(reason)}"
        )
    return reason
