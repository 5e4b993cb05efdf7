"""Backups: the daily one (once a day, 7 daily + 4 weekly kept), manual ones, and restore."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from desktop.core.bank.questions import QuestionStatus
from desktop.core.errors import DatabaseError
from desktop.storage import backups
from desktop.storage.database import Database
from desktop.storage.question_bank import QuestionBank
from desktop.storage.restore import restore_backup
from tests.sqlite_rows import questions_in


def test_a_backup_is_a_complete_standalone_copy(db_file: Path, tmp_path: Path) -> None:
    made = backups.backup_file(db_file, tmp_path / "backups")
    assert made.name.startswith("viva-manual-") and made.suffix == ".sqlite3"
    assert questions_in(made) == 36
    conn = sqlite3.connect(made)
    try:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    finally:
        conn.close()
    with pytest.raises(DatabaseError, match="no database"):
        backups.backup_file(tmp_path / "missing.sqlite3", tmp_path / "backups")


def test_daily_backup_once_per_day(db_file: Path, tmp_path: Path) -> None:
    folder = tmp_path / "backups"
    morning = datetime(2025, 5, 14, 8, 0, tzinfo=UTC)
    first = backups.daily_backup_if_due(db_file, folder, now=morning)
    assert first is not None and first.exists()
    assert backups.daily_backup_if_due(db_file, folder, now=morning + timedelta(hours=9)) is None
    next_day = backups.daily_backup_if_due(db_file, folder, now=morning + timedelta(days=1))
    assert next_day is not None
    assert [path for _, path in backups.daily_backups(folder)] == [first, next_day]
    assert backups.daily_backup_if_due(tmp_path / "absent.sqlite3", folder, now=morning) is None


def test_retention_keeps_7_daily_and_4_weekly(db_file: Path, tmp_path: Path) -> None:
    folder = tmp_path / "backups"
    start = datetime(2025, 3, 3, 9, 0, tzinfo=UTC)  # a Monday
    for day in range(60):
        backups.daily_backup_if_due(db_file, folder, now=start + timedelta(days=day))
    kept = [stamp.date() for stamp, _ in backups.daily_backups(folder)]
    last = (start + timedelta(days=59)).date()  # Thursday 2025-05-01
    dailies = [last - timedelta(days=n) for n in range(7)]
    # The newest copy of each of the 4 weeks before the ones the dailies cover (Sundays).
    weeklies = [datetime(2025, 4, d).date() for d in (6, 13, 20)] + [datetime(2025, 3, 30).date()]
    assert sorted(kept) == sorted(dailies + weeklies)
    assert len(kept) == 11


def test_pruning_ignores_other_files(tmp_path: Path) -> None:
    folder = tmp_path / "backups"
    folder.mkdir()
    (folder / "viva-manual-20250101T000000000000Z.sqlite3").write_bytes(b"x")
    (folder / "viva-daily-garbage.sqlite3").write_bytes(b"x")
    assert backups.prune_daily_backups(folder) == []
    assert len(list(folder.iterdir())) == 2


def test_restore_backs_up_the_current_database_first(db_file: Path, tmp_path: Path) -> None:
    folder = tmp_path / "backups"
    saved = backups.backup_file(db_file, folder)
    db = Database.open(db_file, backups_dir=folder)
    bank = QuestionBank(db)
    bank.set_status(bank.questions()[0].id, QuestionStatus.RETIRED)
    db.close()

    safety = restore_backup(saved, db_file, folder)
    assert safety is not None and safety.name.startswith("viva-before-restore-")
    db = Database.open(db_file, backups_dir=folder)
    try:
        assert QuestionBank(db).count() == 36  # the retirement was undone
    finally:
        db.close()
    conn = sqlite3.connect(safety)
    try:
        retired = conn.execute("SELECT count(*) FROM questions WHERE status = 'retired'")
        assert retired.fetchone()[0] == 1  # the replaced database was kept
    finally:
        conn.close()


def test_restore_refuses_what_is_not_a_backup(db_file: Path, tmp_path: Path) -> None:
    before = db_file.read_bytes()
    text = tmp_path / "notes.sqlite3"
    text.write_text("not a database", encoding="utf-8")
    other = tmp_path / "other.sqlite3"
    sqlite3.connect(other).execute("CREATE TABLE t (x)").connection.close()
    for candidate, expected in (
        (text, "not a Viva backup"),
        (other, "not a Viva backup"),
        (tmp_path / "missing.sqlite3", "does not exist"),
        (db_file, "is the database itself"),
    ):
        with pytest.raises(DatabaseError, match=expected):
            restore_backup(candidate, db_file, tmp_path / "backups")
    assert db_file.read_bytes() == before
    assert not list((tmp_path / "backups").glob("viva-before-restore-*"))


def test_restore_refuses_a_backup_from_a_newer_version(db_file: Path, tmp_path: Path) -> None:
    newer = backups.backup_file(db_file, tmp_path / "backups")
    conn = sqlite3.connect(newer)
    conn.execute("PRAGMA user_version = 99")
    conn.close()
    with pytest.raises(DatabaseError, match="newer version"):
        restore_backup(newer, db_file, tmp_path / "backups")


def test_restore_over_a_damaged_database(db_file: Path, tmp_path: Path) -> None:
    folder = tmp_path / "backups"
    saved = backups.backup_file(db_file, folder)
    db_file.write_bytes(b"SQLite format 3\x00" + b"\xa5" * 8000)  # damaged beyond reading
    safety = restore_backup(saved, db_file, folder)
    assert safety is not None and safety.read_bytes().startswith(b"SQLite format 3\x00")
    db = Database.open(db_file, backups_dir=folder)
    try:
        assert QuestionBank(db).count() == 36
    finally:
        db.close()
