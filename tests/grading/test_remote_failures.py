"""The remote backend against small servers on 127.0.0.1 that misbehave on purpose: nothing
listening, a server that never answers, garbage, errors; and a well-behaved stream. Each failure
raises the error that says what happened, and the engine keeps the word-matching score labelled
with it."""

from __future__ import annotations

import json
import re
import socket
import threading
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from desktop.core.errors import Cancelled
from desktop.core.grading.grades import Grade, GradingTask
from desktop.grading.backend import (
    BackendTimeout,
    BackendUnavailable,
    ChatMessage,
    MalformedReply,
)
from desktop.grading.judging.engine import GradingEngine
from desktop.grading.remote.remote import RemoteBackend
from desktop.grading.settings import ModelSettings

TASK = GradingTask(
    prompt="What does a Python list's append cost?",
    reference="Amortised O(1): the array over-allocates, so resizes are rare.",
    key_points=("amortised constant time", "over-allocation makes resizes rare"),
)
ANSWER = "Amortised O(1), because the list over-allocates and rarely resizes."
MESSAGES = [ChatMessage("user", "Say hi")]

Reply = Callable[[BaseHTTPRequestHandler], None]


def settings_for(port: int, **changes: object) -> ModelSettings:
    values: dict[str, object] = {
        "model": f"http://127.0.0.1:{port}/v1",
        "remote_model_name": "test-model",
        "timeout_s": 2.0,
    }
    values.update(changes)
    return ModelSettings.from_json(values)


@pytest.fixture
def serve() -> Iterator[Callable[[Reply], tuple[int, list[dict[str, object]]]]]:
    """Starts an HTTP server on a free loopback port whose POST replies come from `reply`;
    returns the port and the requests it received (headers and JSON body)."""
    servers: list[ThreadingHTTPServer] = []

    def start(reply: Reply) -> tuple[int, list[dict[str, object]]]:
        received: list[dict[str, object]] = []

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length", "0"))
                received.append(
                    {"headers": dict(self.headers), "body": json.loads(self.rfile.read(length))}
                )
                reply(self)

            def log_message(self, format: str, *args: object) -> None:
                pass

        server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        server.daemon_threads = True
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        return server.server_address[1], received

    yield start
    for server in servers:
        server.shutdown()
        server.server_close()


def labelled_word_matching(grade: Grade, reason: str) -> bool:
    """A failed server leaves the word-matching score, labelled with what went wrong."""
    evidence = GradingEngine(None).grade(TASK, ANSWER)
    return (
        grade.word_matching_only
        and grade.score == evidence.score
        and reason in grade.reason
        and grade.reason.endswith("graded by word matching only")
    )


def send(handler: BaseHTTPRequestHandler, status: int, body: bytes, kind: str) -> None:
    handler.send_response(status)
    handler.send_header("Content-Type", kind)
    handler.send_header("Content-Length", str(len(body)))
    handler.end_headers()
    handler.wfile.write(body)


def unused_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_refused_connection() -> None:
    port = unused_port()
    backend = RemoteBackend(settings_for(port))
    with pytest.raises(BackendUnavailable, match="connection was refused"):
        backend.complete(MESSAGES, schema=None, max_tokens=8)
    grade = GradingEngine(backend, reliability=0.8).grade(TASK, ANSWER)
    assert labelled_word_matching(grade, "connection was refused")


def test_server_that_never_answers_times_out() -> None:
    # A listening socket whose connections are accepted by the kernel and never answered.
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen(8)
        backend = RemoteBackend(settings_for(silent.getsockname()[1], timeout_s=0.5))
        with pytest.raises(BackendTimeout, match=r"did not answer within 0\.5 s"):
            backend.complete(MESSAGES, schema=None, max_tokens=8)
        grade = GradingEngine(backend, reliability=0.8).grade(TASK, ANSWER)
    assert labelled_word_matching(grade, "did not answer within 0.5 s")


def test_garbage_reply(serve: Callable[[Reply], tuple[int, list[dict[str, object]]]]) -> None:
    port, _ = serve(lambda handler: send(handler, 200, b"<html>garbage", "text/html"))
    backend = RemoteBackend(settings_for(port))
    with pytest.raises(MalformedReply, match="not JSON: '<html>garbage'"):
        backend.complete(MESSAGES, schema=None, max_tokens=8)
    grade = GradingEngine(backend, reliability=0.8).grade(TASK, ANSWER)
    assert labelled_word_matching(grade, "not JSON")


def test_reply_that_is_not_http() -> None:
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen(1)

        def babble() -> None:
            connection, _ = server.accept()
            with connection:
                connection.recv(65536)
                connection.sendall(b"garbage garbage garbage\r\n\r\n")

        thread = threading.Thread(target=babble, daemon=True)
        thread.start()
        backend = RemoteBackend(settings_for(server.getsockname()[1]))
        with pytest.raises(MalformedReply, match="not HTTP"):
            backend.complete(MESSAGES, schema=None, max_tokens=8)
        thread.join(timeout=5)


@pytest.mark.parametrize(
    ("status", "body", "expected"),
    [
        (200, b'{"object": "list"}', "without choices"),
        (200, b'{"choices": [{"message": {"content": null}}]}', "without text"),
        (
            401,
            b'{"error": {"message": "bad key"}}',
            r"refused the API key \(HTTP 401\) \(bad key\)",
        ),
        (404, b'{"detail": "Not Found"}', "HTTP 404"),
        (500, b"boom", r"failed \(HTTP 500\) \(boom\)"),
    ],
)
def test_error_replies_are_explained(
    serve: Callable[[Reply], tuple[int, list[dict[str, object]]]],
    status: int,
    body: bytes,
    expected: str,
) -> None:
    port, _ = serve(lambda handler: send(handler, status, body, "application/json"))
    backend = RemoteBackend(settings_for(port))
    with pytest.raises(BackendUnavailable, match=expected):
        backend.complete(MESSAGES, schema=None, max_tokens=8)
    grade = GradingEngine(backend, reliability=0.8).grade(TASK, ANSWER)
    assert labelled_word_matching(grade, "")


def stream_of(*events: str) -> bytes:
    return "".join(f"data: {event}\n\n" for event in events).encode()


@pytest.mark.parametrize(
    ("kind", "body", "expected"),
    [
        (
            "application/json",
            b'{"choices": [{"message": {"content": "ok"}}], "usage": "lots"}',
            "usage that is not an object: 'lots'",
        ),
        (
            "application/json",
            b'{"choices": [{"message": {"content": "ok"}}], "usage": {"prompt_tokens": Infinity}}',
            "usage whose prompt_tokens is not a count of tokens: inf",
        ),
        (
            "text/event-stream",
            stream_of('{"choices": [{"delta": "hi"}]}', "[DONE]"),
            "delta that is not an object: 'hi'",
        ),
        (
            "text/event-stream",
            stream_of('{"choices": [], "usage": {"completion_tokens": 1e999}}', "[DONE]"),
            "usage whose completion_tokens is not a count of tokens: inf",
        ),
        (
            "text/event-stream",
            stream_of('{"choices": [{"delta": {"content": ["a"]}}]}'),
            "content that is not text",
        ),
        ("application/json", b"[" * 100_000 + b"]" * 100_000, "not JSON"),
        ("text/event-stream", b": only keep-alive\n\n", "empty stream"),
    ],
)
def test_replies_of_the_wrong_shape_are_explained(
    serve: Callable[[Reply], tuple[int, list[dict[str, object]]]],
    kind: str,
    body: bytes,
    expected: str,
) -> None:
    port, _ = serve(lambda handler: send(handler, 200, body, kind))
    backend = RemoteBackend(settings_for(port))
    with pytest.raises(MalformedReply, match=re.escape(expected)):
        backend.complete(MESSAGES, schema=None, max_tokens=8, on_text=lambda _: None)
    grade = GradingEngine(backend, reliability=0.8).grade(TASK, ANSWER)
    assert labelled_word_matching(grade, expected)


def test_schema_api_key_and_stream(
    serve: Callable[[Reply], tuple[int, list[dict[str, object]]]],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def reply(handler: BaseHTTPRequestHandler) -> None:
        events = [{"choices": [{"delta": {"content": word}}]} for word in ("Hel", "lo")]
        events.append({"choices": [{"delta": {}, "finish_reason": "stop"}]})
        stream = "".join(f"data: {json.dumps(event)}\n\n" for event in events) + "data: [DONE]\n\n"
        send(handler, 200, (": ping\n\n" + stream).encode(), "text/event-stream")

    port, received = serve(reply)
    monkeypatch.setenv("GRADER_KEY", "from-the-environment")
    backend = RemoteBackend(settings_for(port, api_key_env="GRADER_KEY", api_key="in-settings"))
    shown: list[str] = []
    schema = {"type": "object", "properties": {"a": {"enum": ["x"]}}}
    completion = backend.complete(MESSAGES, schema=schema, max_tokens=8, on_text=shown.append)
    assert (completion.text, completion.finish_reason, shown) == ("Hello", "stop", ["Hel", "lo"])
    headers, body = received[0]["headers"], received[0]["body"]
    assert isinstance(headers, dict) and isinstance(body, dict)
    assert headers["Authorization"] == "Bearer from-the-environment"
    assert body["model"] == "test-model" and body["stream"] is True
    assert body["response_format"] == {
        "type": "json_schema",
        "json_schema": {"name": "grade", "schema": schema},
    }
    assert backend.identity == f"test-model at http://127.0.0.1:{port}/v1"


def test_key_from_settings_when_the_environment_has_none(
    serve: Callable[[Reply], tuple[int, list[dict[str, object]]]],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    reply = {"choices": [{"message": {"content": "ok"}, "finish_reason": "stop"}]}
    port, received = serve(
        lambda handler: send(handler, 200, json.dumps(reply).encode(), "application/json")
    )
    monkeypatch.delenv("VIVA_API_KEY", raising=False)
    backend = RemoteBackend(settings_for(port, api_key="in-settings"))
    assert backend.complete(MESSAGES, schema=None, max_tokens=8).text == "ok"
    headers = received[0]["headers"]
    assert isinstance(headers, dict) and headers["Authorization"] == "Bearer in-settings"


def test_rejected_schema_form_falls_back_to_json_object(
    serve: Callable[[Reply], tuple[int, list[dict[str, object]]]],
) -> None:
    def reply(handler: BaseHTTPRequestHandler) -> None:
        if len(received) == 1:  # the first request, with the standard form
            send(handler, 422, b'{"detail": "response_format.type"}', "application/json")
        else:
            done = {"choices": [{"message": {"content": "{}"}, "finish_reason": "stop"}]}
            send(handler, 200, json.dumps(done).encode(), "application/json")

    port, received = serve(reply)
    backend = RemoteBackend(settings_for(port))
    schema = {"type": "object"}
    for _ in range(2):
        assert backend.complete(MESSAGES, schema=schema, max_tokens=8).text == "{}"
    formats = [request["body"]["response_format"] for request in received]  # type: ignore[index]
    assert formats == [
        {"type": "json_schema", "json_schema": {"name": "grade", "schema": schema}},
        {"type": "json_object", "schema": schema},
        {"type": "json_object", "schema": schema},  # remembered
    ]


def test_a_rejection_about_something_else_is_not_retried(
    serve: Callable[[Reply], tuple[int, list[dict[str, object]]]],
) -> None:
    port, received = serve(
        lambda handler: send(handler, 400, b'{"error": "prompt too long"}', "application/json")
    )
    backend = RemoteBackend(settings_for(port))
    with pytest.raises(BackendUnavailable, match=r"rejected the request \(prompt too long\)"):
        backend.complete(MESSAGES, schema={"type": "object"}, max_tokens=8)
    assert len(received) == 1


def test_cancel_between_streamed_tokens(
    serve: Callable[[Reply], tuple[int, list[dict[str, object]]]],
) -> None:
    cancel = threading.Event()

    def reply(handler: BaseHTTPRequestHandler) -> None:
        handler.send_response(200)
        handler.send_header("Content-Type", "text/event-stream")
        handler.end_headers()
        for _ in range(1000):
            event = {"choices": [{"delta": {"content": "word "}}]}
            try:
                handler.wfile.write(f"data: {json.dumps(event)}\n\n".encode())
                handler.wfile.flush()
            except OSError:
                return  # the client hung up: stop generating

    port, _ = serve(reply)
    backend = RemoteBackend(settings_for(port))
    pieces: list[str] = []

    def on_text(text: str) -> None:
        pieces.append(text)
        if len(pieces) == 3:
            cancel.set()

    with pytest.raises(Cancelled):
        backend.complete(MESSAGES, schema=None, max_tokens=2000, cancel=cancel, on_text=on_text)
    assert len(pieces) == 3


def test_not_a_server_address() -> None:
    with pytest.raises(BackendUnavailable, match="not an http"):
        RemoteBackend(ModelSettings(model="ftp://example"))
    assert RemoteBackend(ModelSettings(model="http://127.0.0.1:9")).base_url == (
        "http://127.0.0.1:9/v1"
    )
