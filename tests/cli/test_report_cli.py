"""`python -m desktop report`: exports in each format, dates and topics, and clear errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6.QtWidgets import QApplication

from desktop.cli import main
from desktop.core.review.schedule_settings import ScheduleSettings, save_schedule_settings
from desktop.paths import UserPaths
from desktop.storage.database import Database
from desktop.storage.settings_store import DatabaseSettingsStore
from tests.reports.scripted_history import write_history


@pytest.fixture
def history_db(database: Database, user_paths: UserPaths) -> Path:
    write_history(database)
    # Study days in UTC from midnight, so the scripted days are the report's days.
    save_schedule_settings(
        DatabaseSettingsStore(database), ScheduleSettings(timezone="UTC", day_starts_at_hour=0)
    )
    return user_paths.database


def _report(db: Path, *args: str) -> int:
    return main(["report", "--db", str(db), *args])


def test_json_for_a_period_and_a_topic(
    history_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "report.json"
    code = _report(
        history_db,
        "--format",
        "json",
        "--out",
        str(out),
        "--from",
        "2025-03-26",
        "--to",
        "2025-03-31",
        "--topic",
        "Lists",
        "--json",
    )
    assert code == 0
    printed = json.loads(capsys.readouterr().out)
    assert printed["files"] == [str(out)] and printed["reviews"] == 3
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["summary"]["reviews"] == 3 and data["summary"]["questions"] == 2
    assert data["period"]["start"] == "2025-03-26" and data["scope"]["topics"] == ["Lists"]


def test_csv_writes_two_files_into_the_folder(
    history_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "csv-out"
    assert _report(history_db, "--format", "csv", "--out", str(folder), "--to", "2025-03-31") == 0
    assert sorted(p.name for p in folder.iterdir()) == ["questions.csv", "reviews.csv"]
    assert len((folder / "reviews.csv").read_text(encoding="utf-8").splitlines()) == 1 + 9
    assert f"Wrote {folder / 'reviews.csv'}" in capsys.readouterr().out


def test_pdf_and_html(history_db: Path, tmp_path: Path, qapp: QApplication) -> None:
    pdf = tmp_path / "report.pdf"
    assert _report(history_db, "--format", "pdf", "--out", str(pdf), "--to", "2025-03-31") == 0
    assert "Page 1 of" in " ".join(PdfReader(pdf).pages[0].extract_text().split())
    html = tmp_path / "report.html"
    assert _report(history_db, "--format", "html", "--out", str(html)) == 0
    assert html.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


def test_an_empty_database_says_there_is_no_activity_yet(
    user_paths: UserPaths, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "empty.json"
    assert _report(user_paths.database, "--format", "json", "--out", str(out)) == 0
    assert "No activity yet" in capsys.readouterr().out
    assert json.loads(out.read_text(encoding="utf-8"))["summary"]["reviews"] == 0


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--from", "2025-03-31", "--to", "2025-03-01"), "swap the dates"),
        (("--topic", "Rust"), "No topic matches 'Rust'"),
    ],
)
def test_bad_requests_exit_2_with_a_message_and_no_file(
    history_db: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    args: tuple[str, ...],
    message: str,
) -> None:
    out = tmp_path / "report.json"
    assert _report(history_db, "--format", "json", "--out", str(out), *args) == 2
    assert message in capsys.readouterr().err
    assert not out.exists()


def test_an_unwritable_path_exits_2_and_leaves_nothing(
    history_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("x", encoding="utf-8")
    assert _report(history_db, "--format", "json", "--out", str(blocker / "r.json")) == 2
    assert "is a file, not a folder" in capsys.readouterr().err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a-file", "data"]


@pytest.mark.parametrize("args", [("--format", "xls"), ("--from", "31/03/2025")])
def test_malformed_arguments_are_usage_errors(
    history_db: Path, tmp_path: Path, args: tuple[str, ...]
) -> None:
    with pytest.raises(SystemExit) as exited:
        _report(
            history_db,
            "--out",
            str(tmp_path / "r"),
            *(args if "--format" in args else ("--format", "json", *args)),
        )
    assert exited.value.code == 2
