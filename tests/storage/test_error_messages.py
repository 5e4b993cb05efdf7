"""A SQLite error is told as what it means for the learner: a full disk as a full disk (SQLite
reports some failed writes as a plain I/O error), another I/O error as a disk problem."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path
from typing import NamedTuple

import pytest

from desktop.storage import sqlite_errors
from desktop.storage.sqlite_errors import explain_sqlite_error


class _Usage(NamedTuple):
    total: int
    used: int
    free: int


def _error(code: int, text: str) -> sqlite3.OperationalError:
    error = sqlite3.OperationalError(text)
    error.sqlite_errorcode = code  # type: ignore[attr-defined]
    return error


def _free(monkeypatch: pytest.MonkeyPatch, free: int) -> None:
    monkeypatch.setattr(sqlite_errors.shutil, "disk_usage", lambda _: _Usage(10**9, 0, free))


def test_an_io_error_on_a_full_disk_says_the_disk_is_full(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _free(monkeypatch, 4096)
    explained = explain_sqlite_error(tmp_path / "v.sqlite3", _error(522, "disk I/O error"))
    assert "is full (4 KB left)" in explained.message and "nothing was changed" in explained.message


def test_an_io_error_with_space_left_is_a_disk_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _free(monkeypatch, 10**9)
    explained = explain_sqlite_error(tmp_path / "v.sqlite3", _error(10, "disk I/O error"))
    assert "the disk reported an error" in explained.message
    assert "could not be used" not in explained.message


def test_sqlite_s_full_code_is_a_full_disk(tmp_path: Path) -> None:
    explained = explain_sqlite_error(
        tmp_path / "missing" / "v.sqlite3", _error(13, "database or disk is full")
    )
    free = shutil.disk_usage(tmp_path).free // 1024
    assert explained.message.startswith(f"The disk holding {tmp_path / 'missing' / 'v.sqlite3'}")
    assert "is full" in explained.message and (str(free)[:2] in explained.message)
