"""The server timeout is a deadline for the whole reply, not for each read: servers on
127.0.0.1 that keep a request alive without finishing it (keep-alive comments, a body or a
stream trickled out, headers sent a byte at a time, a connection never accepted) are stopped
at the timeout, with a message that says what happened; a cancel stops them at once."""

from __future__ import annotations

import json
import shutil
import socket
import ssl
import subprocess
import threading
import time
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from desktop.cli import main
from desktop.core.errors import Cancelled
from desktop.core.grading.grades import GradingTask
from desktop.grading.backend import BackendTimeout, ChatMessage
from desktop.grading.judging.engine import GradingEngine
from desktop.grading.remote.remote import RemoteBackend
from desktop.grading.settings import ModelSettings

TIMEOUT_S = 1.0
MARGIN_S = 0.5  # the deadline's own overhead is milliseconds; this leaves room for a busy CI
STEP_S = 0.1  # how often the misbehaving servers send their next little piece
LONGEST_S = 30.0  # a server stops trickling after this, so no test can hang on it
MESSAGES = [ChatMessage("user", "Say hi")]
TASK = GradingTask(
    prompt="What does a Python list's append cost?",
    reference="Amortised O(1): the array over-allocates, so resizes are rare.",
    key_points=("amortised constant time", "over-allocation makes resizes rare"),
)
ANSWER = "Amortised O(1), because the list over-allocates and rarely resizes."
LISTING = json.dumps({"object": "list", "data": [{"id": "slow-model"}]}).encode()

Reply = Callable[[BaseHTTPRequestHandler], None]


def trickle(handler: BaseHTTPRequestHandler, pieces: Iterator[bytes]) -> None:
    """Writes one piece every STEP_S until LONGEST_S or until the client hangs up."""
    ends = time.monotonic() + LONGEST_S
    try:
        for piece in pieces:
            if time.monotonic() > ends:
                return
            handler.wfile.write(piece)
            handler.wfile.flush()
            time.sleep(STEP_S)
    except OSError:
        return  # the client hung up


def forever(piece: bytes) -> Iterator[bytes]:
    while True:
        yield piece


def keep_alive_comments(handler: BaseHTTPRequestHandler) -> None:
    handler.wfile.write(b"HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\n\r\n")
    trickle(handler, forever(b": keep-alive\n\n"))


def streamed_words(handler: BaseHTTPRequestHandler) -> None:
    handler.wfile.write(b"HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\n\r\n")
    event = {"choices": [{"delta": {"content": "word "}}]}
    trickle(handler, forever(f"data: {json.dumps(event)}\n\n".encode()))


def body_a_byte_at_a_time(handler: BaseHTTPRequestHandler) -> None:
    body = json.dumps({"choices": [{"message": {"content": "x" * 10_000}}]}).encode()
    handler.wfile.write(
        b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
        + f"Content-Length: {len(body)}\r\n\r\n".encode()
    )
    trickle(handler, (body[index : index + 1] for index in range(len(body))))


def headers_a_byte_at_a_time(handler: BaseHTTPRequestHandler) -> None:
    handler.wfile.write(b"HTTP/1.1 200 OK\r\nX-Slow: ")
    trickle(handler, forever(b"a"))


def error_body_a_byte_at_a_time(handler: BaseHTTPRequestHandler) -> None:
    handler.wfile.write(b"HTTP/1.1 500 Internal Server Error\r\nContent-Length: 100000\r\n\r\n")
    trickle(handler, forever(b"e"))


@pytest.fixture
def serve() -> Iterator[Callable[..., int]]:
    """Starts an HTTP server on a free loopback port that lists one model and answers every POST
    with `reply` (which writes the raw response); returns the port."""
    servers: list[ThreadingHTTPServer] = []

    def start(reply: Reply, wrap: Callable[[socket.socket], socket.socket] | None = None) -> int:
        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(LISTING)))
                self.end_headers()
                self.wfile.write(LISTING)

            def do_POST(self) -> None:
                self.rfile.read(int(self.headers.get("Content-Length", "0")))
                reply(self)
                self.close_connection = True

            def log_message(self, format: str, *args: object) -> None:
                pass

        server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        server.daemon_threads = True
        if wrap is not None:
            server.socket = wrap(server.socket)
        threading.Thread(
            target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        ).start()
        servers.append(server)
        return int(server.server_address[1])

    yield start
    for server in servers:
        server.shutdown()
        server.server_close()


def backend_for(port: int, timeout_s: float = TIMEOUT_S) -> RemoteBackend:
    return RemoteBackend(
        ModelSettings(
            model=f"http://127.0.0.1:{port}/v1", remote_model_name="slow", timeout_s=timeout_s
        )
    )


def timed(call: Callable[[], object]) -> tuple[BaseException, float]:
    started = time.monotonic()
    with pytest.raises((BackendTimeout, Cancelled)) as raised:
        call()
    return raised.value, time.monotonic() - started


@pytest.mark.parametrize(
    ("reply", "streamed", "expected"),
    [
        (keep_alive_comments, True, "did not finish its reply within 1 s"),
        (keep_alive_comments, False, "did not finish its reply within 1 s"),
        (streamed_words, True, "did not finish its reply within 1 s"),
        (body_a_byte_at_a_time, False, "did not finish its reply within 1 s"),
        (headers_a_byte_at_a_time, True, "did not answer within 1 s"),
        (headers_a_byte_at_a_time, False, "did not answer within 1 s"),
        (error_body_a_byte_at_a_time, False, "did not finish its reply within 1 s"),
    ],
    ids=[
        "keep-alive comments, streamed",
        "keep-alive comments",
        "words without end, streamed",
        "body a byte at a time",
        "headers a byte at a time, streamed",
        "headers a byte at a time",
        "error body a byte at a time",
    ],
)
def test_a_reply_that_never_finishes_ends_at_the_timeout(
    serve: Callable[[Reply], int], reply: Reply, streamed: bool, expected: str
) -> None:
    backend = backend_for(serve(reply))
    shown: list[str] = []
    error, elapsed = timed(
        lambda: backend.complete(
            MESSAGES, schema=None, max_tokens=8, on_text=shown.append if streamed else None
        )
    )
    assert isinstance(error, BackendTimeout)
    assert expected in str(error) and "raise the time limit" in str(error)
    assert TIMEOUT_S - 0.05 <= elapsed < TIMEOUT_S + MARGIN_S, elapsed


def test_the_grade_deadline_is_kept_when_it_comes_first(serve: Callable[[Reply], int]) -> None:
    backend = backend_for(serve(keep_alive_comments), timeout_s=30)
    error, elapsed = timed(
        lambda: backend.complete(
            MESSAGES, schema=None, max_tokens=8, deadline=time.monotonic() + TIMEOUT_S
        )
    )
    assert isinstance(error, BackendTimeout)
    assert elapsed < TIMEOUT_S + MARGIN_S, elapsed


def test_a_connection_never_accepted_ends_at_the_timeout() -> None:
    # A backlog of one, filled: the kernel answers no further connection attempt.
    with socket.socket() as full:
        full.bind(("127.0.0.1", 0))
        full.listen(0)
        port = full.getsockname()[1]
        waiting = []
        for _ in range(3):
            probe = socket.socket()
            probe.setblocking(False)
            probe.connect_ex(("127.0.0.1", port))
            waiting.append(probe)
        try:
            error, elapsed = timed(
                lambda: backend_for(port).complete(MESSAGES, schema=None, max_tokens=8)
            )
        finally:
            for probe in waiting:
                probe.close()
    assert isinstance(error, BackendTimeout)
    assert "could not be reached within 1 s" in str(error), str(error)
    assert elapsed < TIMEOUT_S + MARGIN_S, elapsed


def test_a_secure_connection_whose_handshake_never_ends_ends_at_the_timeout() -> None:
    # Accepts the connection and never speaks TLS.
    with socket.socket() as mute:
        mute.bind(("127.0.0.1", 0))
        mute.listen(1)
        accepted: list[socket.socket] = []
        threading.Thread(target=lambda: accepted.append(mute.accept()[0]), daemon=True).start()
        backend = RemoteBackend(
            ModelSettings(
                model=f"https://127.0.0.1:{mute.getsockname()[1]}/v1",
                remote_model_name="slow",
                timeout_s=TIMEOUT_S,
            )
        )
        try:
            error, elapsed = timed(lambda: backend.complete(MESSAGES, schema=None, max_tokens=8))
        finally:
            for connection in accepted:
                connection.close()
    assert isinstance(error, BackendTimeout) and "did not answer within 1 s" in str(error)
    assert elapsed < TIMEOUT_S + MARGIN_S, elapsed


@pytest.fixture
def serve_tls(
    serve: Callable[[Reply], int], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Callable[[Reply], int]:
    """As `serve`, over TLS with a certificate for 127.0.0.1 that this test trusts."""
    if shutil.which("openssl") is None:
        pytest.skip("needs the openssl command to make a certificate")
    key, certificate = tmp_path / "key.pem", tmp_path / "certificate.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
         "-keyout", str(key), "-out", str(certificate), "-subj", "/CN=127.0.0.1",
         "-addext", "subjectAltName=IP:127.0.0.1"],
        check=True, capture_output=True,
    )  # fmt: skip
    monkeypatch.setenv("SSL_CERT_FILE", str(certificate))
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(certificate, key)

    def start(reply: Reply) -> int:
        return serve(reply, wrap=lambda sock: context.wrap_socket(sock, server_side=True))

    return start


def answers_ok(handler: BaseHTTPRequestHandler) -> None:
    body = json.dumps({"choices": [{"message": {"content": "ok"}}]}).encode()
    handler.wfile.write(
        b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
        + f"Content-Length: {len(body)}\r\n\r\n".encode()
        + body
    )


def test_a_secure_server_answers_and_one_that_stalls_ends_at_the_timeout(
    serve_tls: Callable[[Reply], int],
) -> None:
    def url_of(port: int) -> ModelSettings:
        return ModelSettings(
            model=f"https://127.0.0.1:{port}/v1", remote_model_name="tls", timeout_s=TIMEOUT_S
        )

    good = RemoteBackend(url_of(serve_tls(answers_ok)))
    assert good.complete(MESSAGES, schema=None, max_tokens=8).text == "ok"
    stalling = RemoteBackend(url_of(serve_tls(keep_alive_comments)))
    error, elapsed = timed(
        lambda: stalling.complete(MESSAGES, schema=None, max_tokens=8, on_text=lambda _: None)
    )
    assert isinstance(error, BackendTimeout) and "did not finish its reply within 1 s" in str(error)
    assert elapsed < TIMEOUT_S + MARGIN_S, elapsed


@pytest.mark.parametrize("reply", [keep_alive_comments, headers_a_byte_at_a_time])
def test_cancel_stops_a_reply_that_never_finishes_at_once(
    serve: Callable[[Reply], int], reply: Reply
) -> None:
    backend = backend_for(serve(reply), timeout_s=30)
    cancel = threading.Event()
    threading.Timer(0.3, cancel.set).start()
    error, elapsed = timed(
        lambda: backend.complete(MESSAGES, schema=None, max_tokens=8, cancel=cancel)
    )
    assert isinstance(error, Cancelled)
    assert elapsed < 0.3 + MARGIN_S, elapsed


def test_the_grade_keeps_word_matching_labelled_with_the_timeout(
    serve: Callable[[Reply], int],
) -> None:
    backend = backend_for(serve(keep_alive_comments))
    started = time.monotonic()
    grade = GradingEngine(backend, reliability=0.8, timeout_s=30).grade(TASK, ANSWER)
    elapsed = time.monotonic() - started
    assert grade.word_matching_only
    assert "did not finish its reply within 1 s" in grade.reason
    assert grade.score == GradingEngine(None).grade(TASK, ANSWER).score
    assert elapsed < TIMEOUT_S + MARGIN_S, elapsed


def test_models_check_against_a_stalling_server_exits_2_with_the_reason(
    serve: Callable[[Reply], int], capsys: pytest.CaptureFixture[str]
) -> None:
    port = serve(keep_alive_comments)
    started = time.monotonic()
    code = main(["models", "check", f"http://127.0.0.1:{port}/v1", "--timeout", "1"])
    elapsed = time.monotonic() - started
    err = capsys.readouterr().err
    assert code == 2
    assert "did not finish its reply within 1 s" in err and "Traceback" not in err
    assert elapsed < 2 * (TIMEOUT_S + MARGIN_S), elapsed
