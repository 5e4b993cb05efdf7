"""`python -m desktop selfcheck`: a line per check, failures that say what went wrong, exit 1
unless every check passes, and nothing written outside its temporary folder."""

from __future__ import annotations

import importlib
import json
import types
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QApplication

from desktop.cli import main
from desktop.core.bank.questions import Question
from desktop.grading.backend import BackendError, BackendUnavailable, MalformedReply
from desktop.grading.model_files.catalog import RECOMMENDED
from desktop.paths import UserPaths, builtin_bank_files, install_models_dir
from desktop.selfcheck import CHECK_NAMES, CheckFailed, run_selfcheck, storage_checks
from desktop.selfcheck import modules as modules_check
from desktop.selfcheck.model_check import grade_with, question_to_grade
from desktop.selfcheck.outcome import run_check
from desktop.services.notes_import import ensure_builtin_bank, parse_files
from desktop.storage.database import Database
from desktop.storage.question_bank import QuestionBank


@pytest.fixture(autouse=True)
def _widget_application(qapp: QApplication) -> None:
    """The window check reuses the process's Qt application; the widget one, so the other
    tests in this process can still build widgets."""


def _selfcheck_json(
    capsys: pytest.CaptureFixture[str], *args: str
) -> tuple[int, dict[str, object]]:
    code = main(["selfcheck", "--json", *args])
    return code, json.loads(capsys.readouterr().out)


def _by_name(result: dict[str, object]) -> dict[str, dict[str, object]]:
    checks = result["checks"]
    assert isinstance(checks, list)
    return {check["name"]: check for check in checks}


def test_a_check_that_raises_is_a_failure_with_what_went_wrong() -> None:
    def broken() -> str:
        raise CheckFailed("the thing is missing", details="looked in /nowhere")

    def crashing() -> str:
        raise ZeroDivisionError("division by zero")

    failed = run_check("broken", broken)
    crashed = run_check("crashing", crashing)
    passed = run_check("fine", lambda: "all good")

    assert (failed.passed, failed.message, failed.details) == (
        False,
        "the thing is missing",
        "looked in /nowhere",
    )
    assert not crashed.passed
    assert crashed.message == "ZeroDivisionError: division by zero"
    assert "Traceback" in crashed.details
    assert (passed.passed, passed.message) == (True, "all good")


def test_a_missing_model_file_fails_only_the_model_check(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = tmp_path / "no-such-model.gguf"

    code, result = _selfcheck_json(capsys, "--model", str(missing))

    checks = _by_name(result)
    assert code == 1
    assert result["passed"] is False
    assert list(checks) == list(CHECK_NAMES)
    assert checks["model"]["passed"] is False
    assert "no-such-model.gguf" in str(checks["model"]["message"])
    assert [name for name, check in checks.items() if not check["passed"]] == ["model"]
    bank_size = sum(len(notes.questions) for notes in parse_files(builtin_bank_files()))
    assert f"{bank_size} questions" in str(checks["bank"]["message"])
    assert not missing.exists()


def test_a_file_that_is_not_a_model_says_so(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    fake = tmp_path / "fake.gguf"
    fake.write_bytes(b"this is not a GGUF file" * 100)

    code, result = _selfcheck_json(capsys, "--model", str(fake))

    model = _by_name(result)["model"]
    assert code == 1
    assert model["passed"] is False
    assert "GGUF" in str(model["message"])


def test_without_a_bank_the_model_check_is_not_run(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(storage_checks, "builtin_bank_files", lambda: [])

    outcomes = {outcome.name: outcome for outcome in run_selfcheck(UserPaths(tmp_path))}

    assert outcomes["bank"].passed is False
    assert "built-in bank is missing" in outcomes["bank"].message
    assert outcomes["model"].passed is False
    assert outcomes["model"].message.startswith("not run:")
    assert outcomes["report"].passed is True


def test_a_module_that_does_not_import_is_named(monkeypatch: pytest.MonkeyPatch) -> None:
    real_import = importlib.import_module

    def import_module(name: str) -> types.ModuleType:
        if name == "desktop.cli.commands.backups":
            raise ImportError("libsomething.so.1: cannot open shared object file")
        return real_import(name)

    monkeypatch.setattr(importlib, "import_module", import_module)

    with pytest.raises(CheckFailed) as failure:
        modules_check.check_modules()

    assert "desktop.cli.commands.backups" in failure.value.message
    assert "libsomething.so.1" in failure.value.message


def test_every_app_module_is_listed_except_the_entry_point() -> None:
    names = modules_check.app_module_names()

    assert "desktop.cli.commands.selfcheck" in names
    assert "desktop.storage.migrations" in names
    assert "desktop.__main__" not in names


def test_the_learners_own_data_is_never_touched(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data_dir = tmp_path / "data"
    monkeypatch.setenv("VIVA_DATA_DIR", str(data_dir))

    _selfcheck_json(capsys, "--model", str(tmp_path / "absent.gguf"))

    assert not data_dir.exists()


@pytest.fixture
def bank_question(database: Database) -> Question:
    ensure_builtin_bank(database)
    return question_to_grade(QuestionBank(database).questions())


def test_a_model_that_grades_passes_with_its_verdicts(
    bank_question: Question, scripted: Any
) -> None:
    backend = scripted(default_verdict=0.75, replies=["Name the position limit it trained with."])
    message = grade_with(backend, "fake", bank_question)

    points = len(bank_question.key_points)
    assert message.startswith(f"fake graded question {bank_question.id} ({points} key points)")
    assert message.endswith("model verdicts " + ", ".join(["0.75"] * points))


@pytest.mark.parametrize(
    ("verdict", "expected"),
    [(MalformedReply("junk"), "gave no reply"), (BackendUnavailable("the file is gone"), "gone")],
)
def test_a_model_that_gives_nothing_fails(
    bank_question: Question, scripted: Any, verdict: BackendError, expected: str
) -> None:
    with pytest.raises(CheckFailed) as failure:
        grade_with(scripted([verdict]), "fake", bank_question)
    assert expected in failure.value.message


@pytest.mark.model
def test_every_check_passes_with_the_default_model(capsys: pytest.CaptureFixture[str]) -> None:
    # Its own load: selfcheck loads the default model as an installed app would.
    code = main(["selfcheck"])

    lines = capsys.readouterr().out.splitlines()
    check_lines = [line for line in lines if line.split()[:1] in (["ok"], ["FAIL"])]
    assert code == 0, "\n".join(lines)
    assert [line.split()[1] for line in check_lines] == list(CHECK_NAMES)
    assert all(line.startswith("ok") for line in check_lines)
    model_line = next(line for line in check_lines if line.split()[1] == "model")
    assert f"(install, {install_models_dir() / RECOMMENDED.file_name})" in model_line
    assert "model verdicts" in model_line
    assert lines[-1].startswith("all checks passed")


def test_no_model_anywhere_is_a_warning_that_says_what_to_do(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """An install without a model works (word matching, self-rating): the check passes."""
    from desktop.selfcheck import model_check

    monkeypatch.setattr(model_check, "discover_models", lambda paths: [])
    monkeypatch.setattr(model_check, "embedded_model_path", lambda: None)
    monkeypatch.setenv("VIVA_DATA_DIR", str(tmp_path))

    code = main(["selfcheck"])

    out = capsys.readouterr().out
    assert code == 0, out
    model_line = next(line for line in out.splitlines() if " model " in line)
    assert model_line.startswith("warn")
    assert "no model installed" in model_line and "viva models use FILE" in model_line
    assert out.splitlines()[-1].startswith("all checks passed, with a warning: model")
