"""Property-based tests of the model-server reply parser (`desktop.grading.remote.server_reply`):
whole JSON replies and server-sent event streams of any shape and any bytes either give a completion
or raise the parser's own error (`MalformedServerReply`, or `BackendUnavailable` for an error the
server reports), whose message names the server; never another exception, and never slowly.

The examples include every reply that once raised a traceback: `usage` as a string or infinity, a
`delta` that is a string, JSON nested deeper than Python recurses.
"""

from __future__ import annotations

import io
import json
import time
from collections.abc import Callable, Iterator
from typing import Any, TypeVar

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from desktop.grading.backend import BackendUnavailable, Completion
from desktop.grading.remote.server_reply import (
    MAX_LINE_BYTES,
    MalformedServerReply,
    chosen_answer,
    completion_from_json,
    completion_from_stream,
    error_detail,
    first_model_name,
)

pytestmark = pytest.mark.timeout(120)  # a parser that hangs fails here, not at the suite's limit
URL = "http://127.0.0.1:8080/v1/chat/completions"
TIME_LIMIT_S = 2.0
KEYS = (
    "choices", "message", "content", "delta", "usage", "prompt_tokens", "completion_tokens",
    "finish_reason", "error", "data", "id", "answer", "detail",
)  # fmt: skip
T = TypeVar("T")

# ---- replies of any shape, and of nearly the right shape ---------------------------------------

scalars = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(max_size=12)
)
any_json = st.recursive(
    scalars,
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(st.sampled_from(KEYS) | st.text(max_size=6), children, max_size=4)
    ),
    max_leaves=20,
)
counts = st.integers(min_value=-2, max_value=10**6) | any_json
usage = (
    st.fixed_dictionaries({}, optional={"prompt_tokens": counts, "completion_tokens": counts})
    | any_json
)
text_or_anything = st.text(max_size=20) | any_json
choice = st.fixed_dictionaries(
    {},
    optional={
        "message": st.fixed_dictionaries({}, optional={"content": text_or_anything}) | any_json,
        "delta": st.fixed_dictionaries({}, optional={"content": text_or_anything}) | any_json,
        "finish_reason": st.sampled_from(["stop", "length"]) | any_json,
    },
)
reply_like = st.fixed_dictionaries(
    {},
    optional={
        "choices": st.lists(choice | any_json, max_size=3) | any_json,
        "usage": usage,
        "error": any_json,
    },
)


def encoded(value: Any) -> bytes:
    return json.dumps(value).encode()  # NaN and infinities as JavaScript's literals, as servers do


json_bytes = (reply_like | any_json).map(encoded) | st.binary(max_size=120)
stream_line = (
    (reply_like | any_json).map(lambda event: b"data: " + encoded(event))
    | st.sampled_from(
        [b"", b": keep-alive", b"data: [DONE]", b"event: message", b"id: 7", b"data:"]
    )
    | st.binary(max_size=40)
)
stream_bytes = st.lists(stream_line, max_size=8).map(lambda lines: b"\n".join(lines) + b"\n")


def lines_of(body: bytes) -> Iterator[bytes]:
    """The lines of a body as the remote backend reads a stream (`readline` with its cap)."""
    reader = io.BytesIO(body)
    return iter(lambda: reader.readline(MAX_LINE_BYTES + 1), b"")


def outcome(call: Callable[[], T]) -> T | BackendUnavailable:
    """The parser's result or its own error (never another exception), within the time limit."""
    started = time.monotonic()
    try:
        result: T | BackendUnavailable = call()
    except BackendUnavailable as error:  # MalformedServerReply is one
        message = str(error)
        assert message.startswith("The model server at http://127.0.0.1:8080/v1"), message
        assert len(message) < 700 and "\n" not in message
        result = error
    assert time.monotonic() - started < TIME_LIMIT_S
    return result


def check_completion(result: Completion | BackendUnavailable) -> None:
    if isinstance(result, Completion):
        assert isinstance(result.text, str) and isinstance(result.finish_reason, str)
        assert result.finish_reason
        for count in (result.prompt_tokens, result.completion_tokens):
            assert type(count) is int and count >= 0


OK = b'{"choices": [{"message": {"content": "ok"}}]'


@settings(max_examples=400, deadline=None)
@given(json_bytes)
@example(OK + b', "usage": "lots"}')
@example(OK + b', "usage": Infinity}')
@example(OK + b', "usage": {"prompt_tokens": Infinity}}')
@example(OK + b', "usage": {"completion_tokens": NaN}}')
@example(OK + b', "usage": {"prompt_tokens": -1, "completion_tokens": 1.5}}')
@example(OK + b', "usage": {"prompt_tokens": true}}')
@example(OK + b', "usage": {"prompt_tokens": 1e999}}')
@example(b'{"choices": [{"message": {"content": null}}]}')
@example(b'{"choices": [{"message": "text"}]}')
@example(b'{"choices": [1]}')
@example(b'{"choices": "many"}')
@example(b'{"choices": [{"message": {"content": "ok"}, "finish_reason": 3}]}')
@example(b'{"error": {"message": "model not loaded"}}')
@example(b'{"error": [[["nested"]]]}')
@example(b"[" * 100_000 + b"]" * 100_000)
@example(b'{"a":' * 50_000 + b"1" + b"}" * 50_000)
@example(b"1" * 5_000)
@example(b"<html>garbage")
@example(b"\xff\xfe\x00garbage")
@example(b"")
def test_a_whole_reply_gives_a_completion_or_the_parsers_error(raw: bytes) -> None:
    check_completion(outcome(lambda: completion_from_json(raw, URL)))


def data(event: bytes) -> bytes:
    return b"data: " + event + b"\n\n"


@settings(max_examples=400, deadline=None)
@given(stream_bytes)
@example(data(b'{"choices": [{"delta": "hi"}]}') + data(b"[DONE]"))
@example(data(b'{"choices": [], "usage": "lots"}'))
@example(data(b'{"choices": [], "usage": {"completion_tokens": Infinity}}'))
@example(data(b'{"choices": [], "usage": Infinity}'))
@example(data(b'{"choices": [{"delta": {"content": ["a"]}}]}'))
@example(data(b'{"choices": [{"delta": {"content": "a"}, "finish_reason": {}}]}'))
@example(data(b'{"choices": [{"delta": null}]}'))
@example(data(b'{"error": "out of memory"}'))
@example(data(b"[1, 2]"))
@example(data(b"[" * 100_000 + b"]" * 100_000))
@example(data(b"not json"))
@example(b": keep-alive\n\n" * 50)
@example(data(b'{"choices": [{"delta": {"content": "no end"}}]}'))
@example(b"data: " + b"x" * (MAX_LINE_BYTES + 10) + b"\n")
@example(b"event: completion\nid: 1\nretry: 10\n" + data(b'{"choices": []}'))
@example(b"HTTP/1.1 200 OK\n")
@example(b"\xff\xfe\n\x00\n")
def test_a_stream_gives_a_completion_or_the_parsers_error(body: bytes) -> None:
    shown: list[str] = []
    result = outcome(lambda: completion_from_stream(lines_of(body), URL, shown.append))
    check_completion(result)
    if isinstance(result, Completion):
        assert result.text == "".join(shown)


@settings(max_examples=200, deadline=None)
@given(json_bytes, st.text(max_size=30) | any_json.map(json.dumps))
@example(b'{"data": [{"id": ["x"]}]}', '{"answer": ["yes"]}')
@example(b'{"data": []}', '{"answer": "maybe"}')
@example(b"[" * 100_000, "[" * 100_000)
@example(b'{"data": [{"id": "m"}]}', '{"answer": " YES "}')
def test_listings_answers_and_error_bodies_never_raise_anything_else(
    raw: bytes, answer_text: str
) -> None:
    name = outcome(lambda: first_model_name(raw, URL))
    assert isinstance(name, MalformedServerReply) or (isinstance(name, str) and name.strip())
    answer = outcome(lambda: chosen_answer(answer_text, ("yes", "no"), URL))
    assert isinstance(answer, MalformedServerReply) or answer in ("yes", "no")
    detail = error_detail(raw)
    assert isinstance(detail, str) and len(detail) <= 160
