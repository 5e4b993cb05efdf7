"""The remote backend against a real `python -m llama_cpp.server` on 127.0.0.1 serving the
embedded model: the held-in calibration cases are graded through it, and the grades have the same
shape as grades from the in-process model."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from desktop.core.grades import GradeStatus, Verdict
from desktop.grading import calibration
from desktop.grading.engine import GradingEngine
from desktop.grading.factory import build_backend
from desktop.grading.remote import RemoteBackend
from desktop.grading.settings import ModelSettings
from desktop.paths import UserPaths

pytestmark = pytest.mark.slow

STARTUP_LIMIT_S = 120


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture(scope="module")
def server_url(embedded_gguf: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    port = free_port()
    log = tmp_path_factory.mktemp("server") / "server.log"
    command = [
        sys.executable, "-m", "llama_cpp.server",
        "--model", str(embedded_gguf), "--model_alias", "smollm2",
        "--host", "127.0.0.1", "--port", str(port),
        "--n_ctx", "4096", "--n_threads", "1", "--verbose", "False",
    ]  # fmt: skip
    with log.open("wb") as output:
        server = subprocess.Popen(command, stdout=output, stderr=subprocess.STDOUT)
    try:
        url = f"http://127.0.0.1:{port}/v1"
        deadline = time.monotonic() + STARTUP_LIMIT_S
        while True:
            if server.poll() is not None:
                pytest.fail(f"the server exited: {log.read_text(errors='replace')[-2000:]}")
            try:
                with urllib.request.urlopen(f"{url}/models", timeout=2) as response:
                    if response.status == 200:
                        break
            except OSError:
                if time.monotonic() > deadline:
                    pytest.fail("the server did not answer within the start-up limit")
                time.sleep(0.25)
        yield url
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def test_the_server_model_is_found_by_name(server_url: str, user_paths: UserPaths) -> None:
    backend = build_backend(ModelSettings(model=server_url), user_paths)
    assert isinstance(backend, RemoteBackend)
    assert backend.model_name() == "smollm2"
    assert backend.identity == f"smollm2 at {server_url}"


@pytest.mark.timeout(1800)  # twenty grades on a machine whose cores may be shared
def test_held_in_cases_graded_through_the_server_match_the_in_process_shape(
    server_url: str, user_paths: UserPaths
) -> None:
    cases = calibration.held_in_cases()
    # One thread each: the server and the in-process model share this machine's cores.
    remote = build_backend(ModelSettings(model=server_url, timeout_s=600), user_paths)
    local = build_backend(ModelSettings(model="embedded", n_threads=1, timeout_s=600), user_paths)
    assert isinstance(remote, RemoteBackend) and local is not None
    remote_engine, local_engine = GradingEngine(remote), GradingEngine(local)
    try:
        started = time.monotonic()
        measured = calibration.measure(remote, cases, model_key="remote-test")
        print(f"{len(cases)} cases through the server in {time.monotonic() - started:.1f} s")
        assert measured.cases == len(cases) and len(measured.outcomes) == len(cases)
        # Usable replies: the server honoured the JSON schema and the stream was read.
        assert measured.unusable < len(cases)

        for case in cases[:2]:
            through_server = remote_engine.grade(case.task, case.answer)
            in_process = local_engine.grade(case.task, case.answer)
            for grade in (through_server, in_process):
                assert grade.status is GradeStatus.GRADED, grade.reason
                assert grade.score is not None and 0.0 <= grade.score <= 1.0
                assert all(point.verdict in Verdict for point in grade.key_points)
            assert through_server.as_json().keys() == in_process.as_json().keys()
            assert [p.text for p in through_server.key_points] == [
                p.text for p in in_process.key_points
            ]
            assert through_server.details.keys() == in_process.details.keys()
            assert server_url in through_server.model
    finally:
        remote_engine.close()
        local_engine.close()
