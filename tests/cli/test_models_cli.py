"""`python -m desktop models`: listing, choosing and checking models from the command line."""

from __future__ import annotations

import json
import os
import socket
from pathlib import Path

import pytest

from desktop.cli import main
from desktop.core.grading.calibration import CalibrationResult
from desktop.grading.judging import calibration
from desktop.grading.llama.hardware import gpu_offload_supported
from desktop.grading.model_files.catalog import RECOMMENDED
from desktop.paths import DATA_DIR_ENV, install_models_dir
from desktop.storage.calibrations import StoredCalibrations
from desktop.storage.database import Database
from tests.grading.gguf_edits import with_block_count


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.fixture
def data_models_dir() -> Path:
    """The models folder of the user data folder the tests run with."""
    folder = Path(os.environ[DATA_DIR_ENV]) / "models"
    folder.mkdir(parents=True)
    return folder


def test_lists_the_recommended_and_the_embedded_model_with_metadata(
    capsys: pytest.CaptureFixture[str], embedded_gguf: Path
) -> None:
    code, out, _ = run(capsys, "models")
    assert code == 0
    assert "* Qwen2.5 Coder 1.5B Instruct GGUF  qwen2  1.5B  Q4_K_M  context 32768" in out
    assert f"install: {install_models_dir() / RECOMMENDED.file_name}" in out
    assert "  SmolLM2-135M-Instruct  llama  135M  Q4_1  context 8192  chat template" in out
    assert f"embedded: {embedded_gguf}" in out
    assert "GPU offload:" in out


def test_json_lists_every_place(
    capsys: pytest.CaptureFixture[str],
    data_models_dir: Path,
    gemma_gguf: Path,
    tmp_path: Path,
) -> None:
    (data_models_dir / "gemma.gguf").symlink_to(gemma_gguf)
    broken = tmp_path / "broken.gguf"
    broken.write_bytes(b"\x00" * 64)
    code, out, _ = run(capsys, "models", "--json", "--path", str(broken))
    assert code == 0
    listing = json.loads(out)
    by_source = {model["source"]: model for model in listing["models"]}
    assert by_source["explicit"]["usable"] is False
    assert "not a GGUF model" in by_source["explicit"]["problem"]
    gemma = by_source["user"]
    assert (gemma["architecture"], gemma["quantization"], gemma["parameters"]) == (
        "gemma3",
        "Q4_K_M",
        "270M",
    )
    assert gemma["has_chat_template"] is False and gemma["context_length"] == 32768
    assert by_source["embedded"]["has_chat_template"] is True
    # The recommended model beside the app comes first; then the user's own files.
    assert listing["default"] == str(install_models_dir() / RECOMMENDED.file_name)
    assert listing["chosen"] is None
    assert listing["gpu_offload_supported"] is gpu_offload_supported()


def test_use_saves_the_choice_and_refuses_a_bad_file(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, embedded_gguf: Path
) -> None:
    db = str(tmp_path / "viva.sqlite3")
    code, out, _ = run(capsys, "models", "use", "embedded", "--n-ctx", "2048", "--db", db)
    assert code == 0 and str(embedded_gguf) in out
    truncated = tmp_path / "cut.gguf"
    truncated.write_bytes(embedded_gguf.read_bytes()[:1_000_000])
    code, _, err = run(capsys, "models", "use", str(truncated), "--db", db)
    assert code == 2 and "truncated" in err
    code, out, _ = run(capsys, "models", "--json", "--db", db)
    assert json.loads(out)["chosen"] == "embedded"  # the bad choice was not saved
    code, _, err = run(capsys, "models", "use", "embedded", "--gpu-layers", "many", "--db", db)
    assert code == 2 and "--gpu-layers" in err


def test_check_refuses_a_bad_file_before_loading(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    fake = tmp_path / "model.gguf"
    fake.write_text("version https://git-lfs.github.com/spec/v1\n")
    code, _, err = run(capsys, "models", "check", str(fake))
    assert code == 2
    assert "Git LFS pointer" in err
    code, _, err = run(capsys, "models", "check", "none")
    assert code == 2 and "no model to check" in err


def test_check_of_a_server_that_is_not_running(capsys: pytest.CaptureFixture[str]) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    code, _, err = run(capsys, "models", "check", f"http://127.0.0.1:{port}/v1")
    assert code == 2
    assert "The reliability check stopped" in err and "connection was refused" in err


@pytest.mark.model
@pytest.mark.timeout(1800)
def test_check_measures_the_embedded_model_and_keeps_the_result(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    # Its own load and measurement: `models check` is the command under test.
    db = tmp_path / "viva.sqlite3"
    # Checked with the saved settings: one thread and a generous timeout per case, as this
    # machine's cores may be shared with other work.
    assert run(capsys, "models", "use", "embedded", "--threads", "1", "--db", str(db))[0] == 0
    code, out, err = run(
        capsys, "models", "check", "embedded", "--json", "--timeout", "900", "--db", str(db)
    )
    assert code == 0, err
    report = json.loads(out)
    cases = calibration.held_in_cases()
    result = CalibrationResult.from_json(report["calibration"])
    assert result.cases == len(cases) == len(result.outcomes)
    assert 0 <= result.agreed <= result.cases
    assert report["model"]["name"] == "SmolLM2-135M-Instruct"
    assert report["settings"]["n_threads"] == 1
    assert report["memory"]["needed"] > report["model"]["file_size"]
    gpu = report["gpu"]
    if gpu["offload_supported"]:  # a CUDA or Metal build: "auto" offloads every layer
        assert gpu["layers_offloaded"] == gpu["layers_total"] >= 30
    else:  # the CPU build the set-up compiles: none of the 30 layers on a GPU
        assert (gpu["layers_offloaded"], gpu["layers_total"]) == (0, 30)
    database = Database.open(db)
    try:
        assert StoredCalibrations(database).load(result.model_key) == result
    finally:
        database.close()


def test_use_refuses_a_file_that_aborts_llama_cpp_and_keeps_the_old_choice(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, embedded_gguf: Path
) -> None:
    db = str(tmp_path / "viva.sqlite3")
    assert run(capsys, "models", "use", "embedded", "--db", db)[0] == 0
    bad = with_block_count(embedded_gguf, tmp_path / "no-layers.gguf", 0)
    for _ in range(2):  # probed once, then refused from the kept verdict
        code, out, err = run(capsys, "models", "use", str(bad), "--db", db)
        assert code == 2 and out == ""
        assert f"error: {bad} cannot be loaded: llama.cpp stopped while loading it" in err
        assert "Traceback" not in err
    code, out, _ = run(capsys, "models", "--json", "--path", str(bad), "--db", db)
    listing = json.loads(out)
    assert listing["chosen"] == "embedded"  # nothing was saved
    (listed,) = [model for model in listing["models"] if model["path"] == str(bad)]
    assert listed["usable"] is False and "stopped while loading it" in listed["problem"]


@pytest.mark.timeout(60)
@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are a POSIX thing")
def test_a_named_pipe_called_gguf_is_refused_without_blocking(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    pipe = tmp_path / "x.gguf"
    os.mkfifo(pipe)
    code, out, _ = run(capsys, "models", "--path", str(pipe))
    assert code == 0
    assert f"x: cannot be used: {pipe} is a named pipe (FIFO), not a model file" in out
    code, _, err = run(capsys, "models", "use", str(pipe), "--db", str(tmp_path / "v.sqlite3"))
    assert code == 2 and f"error: {pipe} is a named pipe (FIFO)" in err


def test_a_symlink_loop_is_refused_with_a_message(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    loop = tmp_path / "loop.gguf"
    loop.symlink_to(tmp_path / "back.gguf")
    (tmp_path / "back.gguf").symlink_to(loop)
    code, out, err = run(capsys, "models", "--path", str(loop))
    assert code == 0 and "Traceback" not in err
    assert f"{loop} is a symbolic link that leads back to itself (a symlink loop)" in out
    db = str(tmp_path / "v.sqlite3")
    for command in (("use", str(loop), "--db", db), ("check", str(loop))):
        code, _, err = run(capsys, "models", *command)
        assert code == 2 and "symlink loop" in err
