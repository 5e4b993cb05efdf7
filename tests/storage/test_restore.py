"""Restore trusts only an intact Viva database: foreign SQLite files, a reset schema version,
missing tables or columns and damage the full integrity check finds are refused before anything
is replaced; it works on a fresh install, gives up under a lock, and leaves no partial file."""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest

from desktop.core.errors import DatabaseError
from desktop.storage import backups, migrations, sqlite_files
from desktop.storage.database import Database
from desktop.storage.question_bank import QuestionBank
from desktop.storage.restore import check_backup, restore_backup
from tests.sqlite_rows import questions_in


@pytest.fixture
def saved(db_file: Path, tmp_path: Path) -> Path:
    """A real backup of the seeded database, outside the backups folder."""
    made = backups.backup_file(db_file, tmp_path / "saved")
    return made.rename(tmp_path / "saved.sqlite3")


def _edit(path: Path, *statements: str) -> None:
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        for statement in statements:
            conn.execute(statement)
    finally:
        conn.close()


def _left_behind(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.rglob("*") if ".partial" in p.name)


def _refused(candidate: Path, database: Path, match: str) -> None:
    before = database.read_bytes()
    with pytest.raises(DatabaseError, match=match) as caught:
        restore_backup(candidate, database, database.parent / "backups")
    assert "nothing was changed" in str(caught.value)
    assert database.read_bytes() == before
    assert not list((database.parent / "backups").glob("viva-before-restore-*"))


def test_a_foreign_sqlite_file_with_a_questions_table_is_refused(
    db_file: Path, tmp_path: Path
) -> None:
    foreign = tmp_path / "foreign.sqlite3"
    _edit(
        foreign,
        "CREATE TABLE questions (id INTEGER, text TEXT)",
        "INSERT INTO questions VALUES (1, 'x')",
    )
    _refused(foreign, db_file, r"not a Viva backup \(its schema version is 0")


def test_a_viva_backup_whose_version_was_reset_is_refused(db_file: Path, saved: Path) -> None:
    _edit(saved, "PRAGMA user_version = 0")
    _refused(saved, db_file, "schema version is 0")


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        ("DROP TABLE reviews", "has no `reviews` table"),
        ("ALTER TABLE cards DROP COLUMN lapses", "`cards` table has no column lapses"),
    ],
)
def test_a_backup_missing_a_table_or_a_column_is_refused(
    db_file: Path, saved: Path, change: str, problem: str
) -> None:
    _edit(saved, change)
    _refused(saved, db_file, problem)


def test_damage_only_the_full_integrity_check_sees_is_refused(db_file: Path, saved: Path) -> None:
    # Two indexes of `questions` swap their b-trees: every page still reads well (quick_check
    # passes), but the index entries no longer match the rows.
    conn = sqlite3.connect(saved, isolation_level=None)
    try:
        roots = dict(
            conn.execute(
                "SELECT name, rootpage FROM sqlite_master WHERE name IN "
                "('ix_questions_topic', 'ix_questions_status_deck_position')"
            ).fetchall()
        )
        conn.execute("PRAGMA writable_schema = ON")
        for name, other in (
            ("ix_questions_topic", "ix_questions_status_deck_position"),
            ("ix_questions_status_deck_position", "ix_questions_topic"),
        ):
            conn.execute(
                "UPDATE sqlite_master SET rootpage = ? WHERE name = ?", (roots[other], name)
            )
    finally:
        conn.close()
    check = sqlite3.connect(saved)
    try:
        assert check.execute("PRAGMA quick_check").fetchone()[0] == "ok"
    finally:
        check.close()
    _refused(saved, db_file, "is damaged")


def test_a_backup_with_torn_pages_is_refused(db_file: Path, saved: Path) -> None:
    data = bytearray(saved.read_bytes())
    data[4096 * 2 : 4096 * 4] = b"\xa5" * (4096 * 2)
    saved.write_bytes(bytes(data))
    _refused(saved, db_file, "is damaged")


def test_an_empty_file_and_a_folder_are_not_backups(db_file: Path, tmp_path: Path) -> None:
    empty = tmp_path / "empty.sqlite3"
    empty.touch()
    _refused(empty, db_file, "is empty")
    _refused(tmp_path, db_file, "is not a file")


def test_a_backup_of_an_older_schema_is_restored_and_then_upgraded(
    db_file: Path, saved: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    @dataclass(frozen=True)
    class AddsAColumn(migrations.Migration):
        def sql(self) -> str:
            return "ALTER TABLE questions ADD COLUMN note TEXT;"

    monkeypatch.setattr(migrations, "MIGRATIONS", (*migrations.MIGRATIONS, AddsAColumn(2, "x")))
    monkeypatch.setattr(migrations, "LATEST_VERSION", 2)
    Database.open(db_file).close()  # the current database moves on to version 2
    check_backup(saved)  # version 1 is checked against version 1's tables, not version 2's
    restore_backup(saved, db_file, db_file.parent / "backups")
    db = Database.open(db_file)
    try:
        assert QuestionBank(db).count() == 36
    finally:
        db.close()
    assert any(db_file.parent.glob("backups/viva-before-migration-v1-*"))


def test_restore_works_on_a_fresh_install(saved: Path, tmp_path: Path) -> None:
    database = tmp_path / "new-home" / "data" / "viva.sqlite3"
    assert restore_backup(saved, database, database.parent / "backups") is None
    assert questions_in(database) == 36
    db = Database.open(database)
    try:
        assert QuestionBank(db).count() == 36
    finally:
        db.close()
    assert _left_behind(tmp_path) == []


def test_a_failed_restore_on_a_fresh_install_leaves_nothing(
    saved: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    database = tmp_path / "data" / "viva.sqlite3"

    def disk_full(self: Path, target: Path) -> Path:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(Path, "replace", disk_full)
    with pytest.raises(DatabaseError, match="No space left"):
        restore_backup(saved, database, database.parent / "backups")
    assert not database.exists()
    assert _left_behind(tmp_path) == []


def test_a_failed_backup_leaves_no_partial_file(db_file: Path, tmp_path: Path) -> None:
    folder = tmp_path / "backups"
    at = datetime(2025, 5, 14, 8, 0, tzinfo=UTC)
    in_the_way = folder / backups.backup_name("manual", at)
    (in_the_way / "something").mkdir(parents=True)  # the final name is a folder with files
    with pytest.raises(DatabaseError, match="Could not back up"):
        backups.backup_file(db_file, folder, at=at)
    assert _left_behind(tmp_path) == []


def test_a_partial_file_left_by_a_stopped_copy_is_replaced(db_file: Path, tmp_path: Path) -> None:
    folder = tmp_path / "backups"
    at = datetime(2025, 5, 14, 8, 0, tzinfo=UTC)
    target = folder / backups.backup_name("manual", at)
    folder.mkdir()
    backups.partial_path(target).write_bytes(b"half a copy from a process that was killed")
    assert backups.backup_file(db_file, folder, at=at) == target
    assert questions_in(target) == 36
    assert _left_behind(tmp_path) == []


@pytest.fixture
def writer_holding(db_file: Path) -> Iterator[sqlite3.Connection]:
    """Another connection in the middle of a write transaction on the database."""
    holder = sqlite3.connect(db_file, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    holder.execute("UPDATE questions SET status = status")
    try:
        yield holder
    finally:
        holder.execute("ROLLBACK")
        holder.close()


def test_a_copy_into_a_locked_database_gives_up_after_the_busy_timeout(
    db_file: Path,
    saved: Path,
    writer_holding: sqlite3.Connection,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """sqlite3's own `backup` retries a locked target for ever; the copy gives up."""
    monkeypatch.setattr(sqlite_files, "BUSY_TIMEOUT_MS", 300)
    source = sqlite_files.open_read_only(saved)
    target = sqlite_files.connect(db_file)
    started = time.monotonic()
    try:
        with pytest.raises(DatabaseError, match="in use by another program"):
            sqlite_files.copy_pages(source, target, locked=db_file)
    finally:
        source.close()
        target.close()
    assert time.monotonic() - started < 3


def test_restore_under_a_write_lock_gives_up_before_anything_is_replaced(
    db_file: Path,
    saved: Path,
    writer_holding: sqlite3.Connection,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(sqlite_files, "BUSY_TIMEOUT_MS", 300)
    _edit(saved, "UPDATE questions SET status = 'retired'")
    with pytest.raises(DatabaseError, match=r"in use by another program.*Nothing was restored"):
        restore_backup(saved, db_file, db_file.parent / "backups")
    assert not list((db_file.parent / "backups").glob("viva-before-restore-*"))
    assert _left_behind(db_file.parent) == []


def test_restore_never_replaces_another_programs_sqlite_database(
    saved: Path, tmp_path: Path
) -> None:
    theirs = tmp_path / "theirs.sqlite3"
    _edit(theirs, "CREATE TABLE invoices (id INTEGER)", "INSERT INTO invoices VALUES (7)")
    before = theirs.read_bytes()
    with pytest.raises(DatabaseError, match="restore replaces only Viva's own database"):
        restore_backup(saved, theirs, tmp_path / "backups")
    assert theirs.read_bytes() == before
    assert not (tmp_path / "backups").exists()
