"""The remote backend against a real `python -m llama_cpp.server` on 127.0.0.1 serving the
embedded model: the server keeps the contract the grader relies on (constrained one-word
verdicts, feedback text), whatever the tiny model's judgement."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from desktop.core.grading.grades import GradeStatus, Verdict
from desktop.grading.factory import build_backend
from desktop.grading.judging import calibration
from desktop.grading.judging.engine import GradingEngine
from desktop.grading.judging.prompts import VERDICT_CHOICES, point_messages
from desktop.grading.remote.remote import RemoteBackend
from desktop.grading.settings import ModelSettings
from desktop.paths import UserPaths

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


@pytest.mark.timeout(900)
def test_the_server_answers_the_grading_questions_as_the_contract_says(
    server_url: str, user_paths: UserPaths
) -> None:
    """The contract, not the tiny model's judgement: every closed question gets one of the
    choices (the server honoured the enum schema), the feedback request gets text, and a grade
    through the server has the shape of an in-process one."""
    remote = build_backend(ModelSettings(model=server_url, timeout_s=300), user_paths)
    assert isinstance(remote, RemoteBackend)
    cases = calibration.held_in_cases()[:4]
    for case in cases:
        answer = remote.choose(point_messages(case.task, case.answer, case.task.key_points[0]),
                               VERDICT_CHOICES)  # fmt: skip
        assert sorted(answer) == [0.0, 1.0]
    measured = calibration.measure(remote, cases, model_key="remote-test")
    assert measured.cases == len(cases) and measured.unusable == 0

    engine = GradingEngine(remote, reliability=0.8)
    try:
        grade = engine.grade(cases[0].task, cases[0].answer)
    finally:
        engine.close()
    assert grade.status is GradeStatus.GRADED and not grade.word_matching_only, grade.reason
    assert grade.score is not None and 0.0 <= grade.score <= 1.0
    assert len(grade.details["model_verdicts"]) == len(cases[0].task.key_points)
    assert all(point.verdict in Verdict for point in grade.key_points)
    assert server_url in grade.model
