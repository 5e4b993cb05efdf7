"""The installer: `build_installer.spec` builds a one-folder bundle that runs without the
virtual environment, passes its own selfcheck and opens its window.

One build (a few minutes) serves every test here; the build time is printed, so the cost of
keeping this in the test run stays visible.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SIZE_BUDGET_MIB = 250
BUILD_TIMEOUT_S = 1800

pytestmark = [pytest.mark.timeout(BUILD_TIMEOUT_S + 600)]


def _project_version() -> str:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    return str(project["version"])


def _folder_size(folder: Path) -> int:
    """Bytes on disk, counting each file once (the bundle links libraries into its top folder)."""
    return sum(
        path.stat().st_size
        for path in folder.rglob("*")
        if path.is_file() and not path.is_symlink()
    )


@pytest.fixture(scope="module")
def bundle(tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest) -> Path:
    pytest.importorskip(
        "PyInstaller", reason="PyInstaller is not installed (pip install -e '.[bundle]')"
    )
    dist = tmp_path_factory.mktemp("dist")
    work = tmp_path_factory.mktemp("work")
    env = {key: value for key, value in os.environ.items() if key != "VIVA_BUNDLE_EMBEDDED_MODEL"}
    started = time.monotonic()
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "PyInstaller",
            "--noconfirm",
            "--log-level",
            "WARN",
            "--distpath",
            str(dist),
            "--workpath",
            str(work),
            str(ROOT / "build_installer.spec"),
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=BUILD_TIMEOUT_S,
        check=False,
    )
    seconds = time.monotonic() - started
    shutil.rmtree(work, ignore_errors=True)  # PyInstaller's work files, not needed any more
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-8000:]
    capture = request.config.pluginmanager.get_plugin("capturemanager")
    reporter = request.config.pluginmanager.get_plugin("terminalreporter")
    if capture is not None and reporter is not None:
        with capture.global_and_fixture_disabled():
            reporter.write_line(f"\nbundle built in {seconds:.0f} s")
    return dist / "viva"


def _run_bundle(
    bundle: Path, *args: str, data_dir: Path, extra_env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """Runs the bundle's executable with nothing of the development set-up in reach: no
    virtual environment on PATH, no Python variables."""
    env = {
        "PATH": "/usr/bin:/bin",
        "HOME": str(data_dir),
        "LANG": "C.UTF-8",
        "VIVA_DATA_DIR": str(data_dir),
        "QT_QPA_PLATFORM": "offscreen",
        **(extra_env or {}),
    }
    return subprocess.run(
        [str(bundle / "viva"), *args],
        cwd=data_dir,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )


def test_the_bundle_has_its_executable_and_version(bundle: Path, tmp_path: Path) -> None:
    result = _run_bundle(bundle, "--version", data_dir=tmp_path)

    assert (bundle / "viva").is_file()
    assert os.access(bundle / "viva", os.X_OK)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"Viva {_project_version()}"
    # Anki's own library (AGPL, with its compiled backend) is for the tests only.
    assert not list(bundle.rglob("_rsbridge*"))


def test_the_bundle_passes_its_selfcheck(bundle: Path, embedded_gguf: Path, tmp_path: Path) -> None:
    # Built without a model, so the check grades with the embedded model's file from outside.
    result = _run_bundle(bundle, "selfcheck", "--model", str(embedded_gguf), data_dir=tmp_path)

    lines = result.stdout.splitlines()
    assert result.returncode == 0, result.stdout + result.stderr
    assert lines[-1].startswith("all checks passed"), result.stdout
    checks = [line.split()[1] for line in lines if line.startswith("ok ")]
    assert checks == ["modules", "window", "database", "bank", "model", "report"]


def test_the_bundle_passes_its_selfcheck_with_no_arguments_in_a_clean_home(
    bundle: Path, tmp_path: Path
) -> None:
    """As a learner runs it first: no model yet, which is a warning saying what to do."""
    home = tmp_path / "home"
    home.mkdir()
    result = _run_bundle(bundle, "selfcheck", data_dir=home)

    lines = result.stdout.splitlines()
    assert result.returncode == 0, result.stdout + result.stderr
    assert lines[-1].startswith("all checks passed, with a warning: model"), result.stdout
    model = next(line for line in lines if line.split()[1:2] == ["model"])
    assert model.startswith("warn") and "viva models use FILE" in model, model
    passed = [line.split()[1] for line in lines if line.startswith("ok ")]
    assert passed == ["modules", "window", "database", "bank", "report"]


def test_the_bundle_opens_its_main_window(bundle: Path, tmp_path: Path) -> None:
    result = _run_bundle(bundle, data_dir=tmp_path, extra_env={"VIVA_EXIT_WHEN_READY": "1"})

    assert result.returncode == 0, result.stdout + result.stderr
    assert "interactive_ms=" in result.stdout
    assert (tmp_path / "viva.sqlite3").is_file()


def test_the_bundle_has_no_model_no_broken_link_and_fits_its_size_budget(bundle: Path) -> None:
    models = bundle / "models"
    size_mib = _folder_size(bundle) / 2**20
    dangling = [str(path) for path in bundle.rglob("*") if path.is_symlink() and not path.exists()]

    assert sorted(path.name for path in models.iterdir()) == ["README.md"]
    assert size_mib < SIZE_BUDGET_MIB, f"the bundle takes {size_mib:.0f} MiB"
    assert dangling == []
