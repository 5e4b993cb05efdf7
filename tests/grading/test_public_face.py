"""The grading package's public face: every exported name resolves, and importing the package
loads none of its modules (llama.cpp, the engine and the model readers load only when used)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import desktop.grading as grading

ROOT = Path(__file__).resolve().parents[2]


def test_every_public_name_resolves() -> None:
    missing = [name for name in grading.__all__ if getattr(grading, name, None) is None]
    assert missing == []
    assert set(grading.__all__) == set(grading._SOURCES)


def test_an_unknown_name_is_an_attribute_error() -> None:
    assert not hasattr(grading, "no_such_name")


def test_importing_the_package_loads_nothing_else() -> None:
    probe = (
        "import sys, desktop.grading\n"
        "print(sorted(m for m in sys.modules\n"
        "      if m.startswith(('desktop.grading.', 'llama_cpp', 'PySide6', 'jinja2'))))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"
