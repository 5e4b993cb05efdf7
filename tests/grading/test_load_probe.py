"""A model file is opened first in a child process: a file that makes the real llama.cpp abort
(`block_count` 0 or 1000 in a copy of the embedded model) is refused with the reason and
remembered, while this test process goes on; a file that worked is loaded in-process from then
on without a second probe."""

from __future__ import annotations

import os
import shutil
import signal
import sys
from pathlib import Path
from typing import Any

import pytest

from desktop.cli import main
from desktop.core.errors import DatabaseError, ModelError
from desktop.core.grading.model_files import ModelSource
from desktop.core.grading.model_service import ModelOptions
from desktop.grading import factory
from desktop.grading.factory import ModelHost, choose_settings
from desktop.grading.llama import load_probe
from desktop.grading.llama.load_probe import (
    PROBE_COMMAND,
    ensure_loadable,
    probe_command,
    verdict_of,
)
from desktop.grading.llama.load_probe_child import REPORT_PREFIX
from desktop.grading.llama.load_verdicts import LoadVerdict, LoadVerdicts, MemorySettings
from desktop.grading.llama.local import LocalLlamaBackend
from desktop.grading.model_files.catalog import RECOMMENDED
from desktop.grading.model_files.discovery import describe_model
from desktop.grading.settings import ModelSettings, save_model_settings
from desktop.paths import UserPaths
from desktop.services.viva import Viva
from tests.grading.gguf_edits import with_block_count


@pytest.fixture(scope="module", params=[0, 1000], ids=["block_count-0", "block_count-1000"])
def aborting_gguf(
    request: pytest.FixtureRequest, embedded_gguf: Path, tmp_path_factory: pytest.TempPathFactory
) -> Path:
    count = request.param
    folder = tmp_path_factory.mktemp("aborting")
    return with_block_count(embedded_gguf, folder / f"blocks-{count}.gguf", count)


def test_a_file_that_aborts_llama_cpp_is_refused_with_the_signal(aborting_gguf: Path) -> None:
    verdicts = LoadVerdicts(MemorySettings())
    with pytest.raises(ModelError) as refused:
        ensure_loadable(aborting_gguf, verdicts)
    message = refused.value.message
    assert str(aborting_gguf) in message
    if sys.platform != "win32":
        assert "llama.cpp stopped while loading it (signal 6, SIGABRT)" in message
    assert "choose another model" in message
    kept = verdicts.known(aborting_gguf)
    assert kept is not None and not kept.usable and "stopped while loading" in kept.problem


def test_a_refused_file_is_not_probed_again(
    aborting_gguf: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    verdicts = LoadVerdicts(MemorySettings())
    with pytest.raises(ModelError):
        ensure_loadable(aborting_gguf, verdicts)
    monkeypatch.setattr(load_probe, "probe_in_child", _fails_if_called)
    with pytest.raises(ModelError, match="stopped while loading"):
        ensure_loadable(aborting_gguf, verdicts)
    host = ModelHost(verdicts=verdicts)
    with pytest.raises(ModelError, match="stopped while loading"):
        host.use(ModelSettings(model=str(aborting_gguf), n_ctx=512, n_threads=1))
    assert host.backend is None


def _fails_if_called(path: Path, *, timeout_s: float = 0) -> LoadVerdict:
    raise AssertionError(f"{path} was probed a second time")


def test_a_file_that_worked_loads_in_process_without_a_second_probe(
    embedded_gguf: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    verdicts = LoadVerdicts(MemorySettings())
    ensure_loadable(embedded_gguf, verdicts)
    assert verdicts.known(embedded_gguf) == LoadVerdict(usable=True)
    monkeypatch.setattr(load_probe, "probe_in_child", _fails_if_called)
    host = ModelHost(verdicts=verdicts)
    try:
        backend = host.use(ModelSettings(model=str(embedded_gguf), n_ctx=512, n_threads=1))
        assert isinstance(backend, LocalLlamaBackend)
        backend.load()
    finally:
        host.close()


def test_a_changed_file_is_probed_again(embedded_gguf: Path, tmp_path: Path) -> None:
    verdicts = LoadVerdicts(MemorySettings())
    copy = with_block_count(embedded_gguf, tmp_path / "changing.gguf", 30)  # its real count
    ensure_loadable(copy, verdicts)
    assert verdicts.known(copy) == LoadVerdict(usable=True)
    with_block_count(embedded_gguf, copy, 0)
    os.utime(copy, ns=(0, 1_000_000_000))
    assert verdicts.known(copy) is None
    with pytest.raises(ModelError, match="stopped while loading"):
        ensure_loadable(copy, verdicts)


def test_the_saved_aborting_model_leaves_the_app_without_a_model_and_says_why(
    viva: Viva, aborting_gguf: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    save_model_settings(viva.settings, ModelSettings(model=str(aborting_gguf), n_threads=1))
    manager = viva.model_manager()
    try:
        state = manager.load(manager.options())
        assert not state.loaded and manager.grader() is None
        assert "stopped while loading it" in state.problem
        assert "No model: you rate yourself" in state.summary
        listed = {model.path: model for model in manager.discover()}
        assert aborting_gguf not in listed  # not in a model folder: listed once added
        added = manager.add_model_file(aborting_gguf)
        assert not added.usable and "stopped while loading it" in added.problem
    finally:
        manager.close()
    # The verdict is kept in the database: the next start does not probe again.
    monkeypatch.setattr(load_probe, "probe_in_child", _fails_if_called)
    again = viva.model_manager()
    assert "stopped while loading it" in again.load(ModelOptions(model=str(aborting_gguf))).problem


@pytest.mark.parametrize(
    ("returncode", "stderr", "expected", "lasting"),
    [
        (-signal.SIGABRT, b"", "stopped while loading it (signal 6, SIGABRT)", True),
        (-signal.SIGSEGV, b"GGML_ASSERT(x) failed\n\n", "SIGSEGV); it said: GGML_ASSERT", True),
        (-signal.SIGKILL, b"", "signal 9, SIGKILL", False),  # the out-of-memory killer
        (3, b"abort() has been called\n", "(exit status 3); it said: abort()", True),
    ],
)
def test_how_the_child_ended_is_the_reason(
    returncode: int, stderr: bytes, expected: str, lasting: bool
) -> None:
    verdict = verdict_of(returncode, b"", stderr)
    assert not verdict.usable and expected in verdict.problem and verdict.lasting is lasting


def test_the_child_report_line_wins_over_other_output() -> None:
    report = REPORT_PREFIX + '{"usable": false, "problem": "llama.cpp refused it (bad)"}'
    verdict = verdict_of(1, f"something else\n{report}\n".encode(), b"noise")
    assert verdict == LoadVerdict(False, "llama.cpp refused it (bad)")
    cut_short = verdict_of(-signal.SIGABRT, (REPORT_PREFIX + '{"usab').encode(), b"")
    assert "signal 6, SIGABRT" in cut_short.problem


def test_a_child_past_its_time_limit_is_not_kept(embedded_gguf: Path) -> None:
    verdict = load_probe.probe_in_child(embedded_gguf, timeout_s=0.01)
    assert not verdict.usable and not verdict.lasting and "within 0.01 s" in verdict.problem


def test_the_child_is_the_app_itself_in_a_checkout_and_in_a_bundle(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    model = tmp_path / "m.gguf"
    checkout = probe_command(model)
    assert checkout == [sys.executable, "-m", "desktop", PROBE_COMMAND, "--", str(model)]
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    assert probe_command(model) == [sys.executable, PROBE_COMMAND, "--", str(model)]


def test_the_hidden_command_probes_a_file(
    capsys: pytest.CaptureFixture[str], embedded_gguf: Path
) -> None:
    assert main([PROBE_COMMAND, "--", str(embedded_gguf)]) == 0
    assert capsys.readouterr().out.strip() == REPORT_PREFIX + '{"usable": true, "problem": ""}'


def test_the_hidden_command_is_not_in_the_help(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["--help"])
    assert PROBE_COMMAND not in capsys.readouterr().out


class _ReadOnlySettings(MemorySettings):
    def save_group(self, name: str, values: dict[str, Any]) -> None:
        raise DatabaseError("attempt to write a readonly database")


def test_a_verdict_that_cannot_be_kept_does_not_stop_the_load(embedded_gguf: Path) -> None:
    verdicts = LoadVerdicts(_ReadOnlySettings())
    ensure_loadable(embedded_gguf, verdicts)  # probed, usable, not kept
    assert verdicts.known(embedded_gguf) is None


def test_a_file_that_failed_its_check_is_passed_over_for_the_default(
    embedded_gguf: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With nothing chosen, the default is the best model whose load check did not fail."""
    broken = tmp_path / RECOMMENDED.file_name
    shutil.copyfile(embedded_gguf, broken)
    found = [
        describe_model(broken, ModelSource.USER),
        describe_model(embedded_gguf, ModelSource.EMBEDDED),
    ]
    monkeypatch.setattr(factory, "discover_models", lambda paths: found)
    verdicts = LoadVerdicts(MemorySettings())
    paths = UserPaths(tmp_path)
    assert choose_settings(None, None, paths, verdicts).model == str(broken)

    verdicts.remember(broken, LoadVerdict(False, "llama.cpp stopped while loading it"))

    assert choose_settings(None, None, paths, verdicts).model == str(embedded_gguf)
