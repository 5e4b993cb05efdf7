"""Opening databases: migrations, the schema fixture of every released version, and clear
refusals (newer schema, damaged, not SQLite, another program's SQLite file, a folder, locked)
that leave the file as it was."""

from __future__ import annotations

import os
import shutil
import sqlite3
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import inspect, text

from desktop.core.bank.questions import QuestionStatus
from desktop.core.bank.store import ALL_STATUSES, QuestionFilter
from desktop.core.errors import DatabaseError, DatabaseTooNewError
from desktop.importers import parse_notes_file
from desktop.storage import database as database_module
from desktop.storage import migrations
from desktop.storage.database import Database
from desktop.storage.question_bank import QuestionBank
from desktop.storage.schema import Base
from desktop.storage.sqlite_errors import explain_sqlite_error

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"


@dataclass(frozen=True)
class InlineMigration(migrations.Migration):
    text: str = ""

    def sql(self) -> str:
        return self.text


def _user_version(path: Path) -> int:
    conn = sqlite3.connect(path)
    try:
        return int(conn.execute("PRAGMA user_version").fetchone()[0])
    finally:
        conn.close()


def _open(path: Path) -> Database:
    return Database.open(path, backups_dir=path.parent / "backups")


def _seeded_file(tmp_path: Path, seed_notes: Path) -> Path:
    path = tmp_path / "viva.sqlite3"
    db = _open(path)
    QuestionBank(db).apply_import([parse_notes_file(seed_notes)])
    db.close()
    return path


def test_migrates_a_new_file_and_an_empty_file(tmp_path: Path) -> None:
    for path in (tmp_path / "new.sqlite3", tmp_path / "empty.sqlite3"):
        if path.name == "empty.sqlite3":
            path.touch()
        db = _open(path)
        db.close()
        assert _user_version(path) == migrations.LATEST_VERSION
    assert not (tmp_path / "backups").exists()  # nothing to back up before a first migration


def test_every_connection_has_wal_foreign_keys_and_normal_sync(database: Database) -> None:
    with database.session() as session:
        assert session.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert session.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert session.execute(text("PRAGMA synchronous")).scalar() == 1  # NORMAL


def test_migrated_schema_matches_the_orm(database: Database) -> None:
    inspector = inspect(database.engine)
    assert set(inspector.get_table_names()) == set(Base.metadata.tables)
    for name, table in Base.metadata.tables.items():
        migrated = {c["name"]: c for c in inspector.get_columns(name)}
        assert set(migrated) == {c.name for c in table.columns}, name
        for column in table.columns:
            assert migrated[column.name]["nullable"] == column.nullable, (name, column.name)
        indexes = {i["name"] for i in inspector.get_indexes(name)}
        assert indexes == {i.name for i in table.indexes}, name


def test_schema_v1_fixture_opens_with_its_data(tmp_path: Path) -> None:
    path = tmp_path / "v1.sqlite3"
    shutil.copyfile(FIXTURES / "schema_v1.sqlite3", path)
    db = _open(path)
    try:
        assert _user_version(path) == migrations.LATEST_VERSION
        bank = QuestionBank(db)
        assert [deck.name for deck in bank.decks()] == ["interview-notes"]
        everything = bank.questions(QuestionFilter(statuses=ALL_STATUSES))
        assert [q.identity for q in everything] == ["qa:Q1", "trap:1", "qa:Q2"]
        assert everything[0].reference.endswith("```python\nx.requires_grad_()\n```")
        assert everything[1].edited and everything[1].tags == ("leakage",)
        assert everything[2].status is QuestionStatus.RETIRED
        assert [t.path for t in bank.topics()] == ["PyTorch > Autograd", "Traps"]
        with db.session() as session:
            assert session.execute(text("SELECT count(*) FROM reviews")).scalar() == 1
            assert session.execute(text("SELECT count(*) FROM cards")).scalar() == 1
    finally:
        db.close()


def test_schema_v1_upgrades_with_a_backup_first(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The upgrade path every future migration takes, exercised with a stand-in version 2."""
    v2 = InlineMigration(2, "002_test.sql", "ALTER TABLE questions ADD COLUMN note TEXT;")
    monkeypatch.setattr(migrations, "MIGRATIONS", (*migrations.MIGRATIONS, v2))
    monkeypatch.setattr(migrations, "LATEST_VERSION", 2)
    path = tmp_path / "v1.sqlite3"
    shutil.copyfile(FIXTURES / "schema_v1.sqlite3", path)

    db = _open(path)
    db.close()
    assert _user_version(path) == 2
    (backup,) = (tmp_path / "backups").glob("viva-before-migration-v1-*.sqlite3")
    assert _user_version(backup) == 1
    conn = sqlite3.connect(path)
    try:
        columns = [row[1] for row in conn.execute("PRAGMA table_info(questions)")]
        assert "note" in columns
        assert conn.execute("SELECT count(*) FROM questions").fetchone()[0] == 3
    finally:
        conn.close()


def test_a_failing_migration_changes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    broken = InlineMigration(
        2, "002_broken.sql", "ALTER TABLE questions ADD COLUMN note TEXT; SELECT * FROM nowhere;"
    )
    monkeypatch.setattr(migrations, "MIGRATIONS", (*migrations.MIGRATIONS, broken))
    monkeypatch.setattr(migrations, "LATEST_VERSION", 2)
    path = tmp_path / "v1.sqlite3"
    shutil.copyfile(FIXTURES / "schema_v1.sqlite3", path)
    with pytest.raises(DatabaseError):
        _open(path)
    assert _user_version(path) == 1
    conn = sqlite3.connect(path)
    try:
        assert "note" not in [row[1] for row in conn.execute("PRAGMA table_info(questions)")]
    finally:
        conn.close()


def test_a_newer_schema_is_refused_and_left_unchanged(tmp_path: Path) -> None:
    path = tmp_path / "future.sqlite3"
    _open(path).close()
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA user_version = 99")
    conn.execute("PRAGMA journal_mode = DELETE")  # switching it back to WAL would be a write
    conn.close()
    before = path.read_bytes()
    with pytest.raises(DatabaseTooNewError) as caught:
        _open(path)
    message = str(caught.value)
    assert "version 99" in message and "Update Viva" in message and "not changed" in message
    assert path.read_bytes() == before
    assert not (tmp_path / "backups").exists()


def test_a_damaged_file_is_refused_with_a_clear_message(tmp_path: Path, seed_notes: Path) -> None:
    path = _seeded_file(tmp_path, seed_notes)
    data = bytearray(path.read_bytes())
    page = 4096
    data[page * 2 : page * 4] = b"\xa5" * (page * 2)
    path.write_bytes(bytes(data))
    with pytest.raises(DatabaseError) as caught:
        _open(path)
    assert "is damaged" in str(caught.value)
    assert "restore" in str(caught.value)
    assert path.read_bytes() == bytes(data)


def test_a_truncated_file_is_refused(tmp_path: Path, seed_notes: Path) -> None:
    path = _seeded_file(tmp_path, seed_notes)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 3])
    with pytest.raises(DatabaseError, match="damaged"):
        _open(path)


def test_a_file_that_is_not_sqlite_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "notes.sqlite3"
    path.write_text("# these are my notes, not a database\n", encoding="utf-8")
    with pytest.raises(DatabaseError) as caught:
        _open(path)
    assert "not a Viva database" in str(caught.value)
    assert path.read_text(encoding="utf-8") == "# these are my notes, not a database\n"


@pytest.mark.parametrize(
    ("statements", "problem"),
    [
        (
            [
                "CREATE TABLE questions (id INTEGER, text TEXT)",
                "INSERT INTO questions VALUES (1, 'x')",
            ],
            "it holds other data (questions) and no Viva schema version",
        ),
        (["CREATE TABLE t (x)", "PRAGMA user_version = 1"], "it has no `cards` table"),
    ],
)
def test_another_programs_sqlite_file_is_never_written_into(
    tmp_path: Path, statements: list[str], problem: str
) -> None:
    path = tmp_path / "other.sqlite3"
    conn = sqlite3.connect(path, isolation_level=None)
    for statement in statements:
        conn.execute(statement)
    conn.close()
    before = path.read_bytes()
    with pytest.raises(DatabaseError) as caught:
        _open(path)
    message = str(caught.value)
    assert f"{path} is not a Viva database ({problem})" in message
    assert "Viva only writes into its own databases" in message and "not changed" in message
    assert path.read_bytes() == before
    assert not path.with_name(path.name + "-wal").exists()


def test_an_empty_sqlite_file_becomes_a_viva_database(tmp_path: Path) -> None:
    path = tmp_path / "blank.sqlite3"
    conn = sqlite3.connect(path)
    conn.execute("VACUUM")  # a valid SQLite file with no tables at all
    conn.close()
    assert path.read_bytes().startswith(b"SQLite format 3\x00")
    _open(path).close()
    assert _user_version(path) == migrations.LATEST_VERSION


def test_a_folder_or_a_fifo_as_the_database_is_refused_without_waiting(tmp_path: Path) -> None:
    folder = tmp_path / "a-folder"
    folder.mkdir()
    fifo = tmp_path / "a-fifo.sqlite3"
    os.mkfifo(fifo)  # opening it to read its header would block
    for path, problem in ((folder, "it is a folder, not a file"), (fifo, "not a regular file")):
        with pytest.raises(DatabaseError) as caught:
            _open(path)
        assert "is not a Viva database" in str(caught.value) and problem in str(caught.value)
    assert list(folder.iterdir()) == []


def test_a_locked_database_is_explained(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(database_module, "BUSY_TIMEOUT_MS", 100)
    path = tmp_path / "viva.sqlite3"
    _open(path).close()
    holder = sqlite3.connect(path, isolation_level=None)
    try:
        holder.execute("PRAGMA locking_mode = EXCLUSIVE")
        holder.execute("BEGIN EXCLUSIVE")
        holder.execute("CREATE TABLE hold (x)")
        with pytest.raises(DatabaseError) as caught:
            _open(path)
        assert "in use by another program" in str(caught.value)
    finally:
        holder.execute("ROLLBACK")
        holder.close()


def test_a_write_while_another_program_writes_is_explained(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, seed_notes: Path
) -> None:
    monkeypatch.setattr(database_module, "BUSY_TIMEOUT_MS", 100)
    path = tmp_path / "viva.sqlite3"
    db = _open(path)
    holder = sqlite3.connect(path, isolation_level=None)
    try:
        holder.execute("BEGIN IMMEDIATE")
        bank = QuestionBank(db)
        assert not bank.has_decks()  # reading still works in WAL mode
        with pytest.raises(DatabaseError, match="in use by another program"):
            bank.apply_import([parse_notes_file(seed_notes)])
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert not QuestionBank(db).has_decks()
    db.close()


def test_errors_are_told_apart_by_sqlite_result_code_not_wording(tmp_path: Path) -> None:
    class Coded(sqlite3.Error):
        def __init__(self, code: int) -> None:
            super().__init__("some wording that mentions nothing useful")
            self.sqlite_errorcode = code

    path = tmp_path / "viva.sqlite3"
    assert "in use" in explain_sqlite_error(path, Coded(sqlite3.SQLITE_BUSY)).message
    # extended codes keep the primary code in their low byte (SQLITE_CORRUPT_INDEX = 779)
    assert "damaged" in explain_sqlite_error(path, Coded(779)).message
    assert "cannot be written" in explain_sqlite_error(path, Coded(sqlite3.SQLITE_READONLY)).message
    assert "full" in explain_sqlite_error(path, Coded(sqlite3.SQLITE_FULL)).message
    assert "could not be used" in explain_sqlite_error(path, sqlite3.Error("locked")).message


def test_a_file_holding_only_a_view_is_not_taken_for_a_new_database(tmp_path: Path) -> None:
    path = tmp_path / "views.sqlite3"
    conn = sqlite3.connect(path)
    conn.execute("CREATE VIEW answer AS SELECT 42 AS value")
    conn.close()
    with pytest.raises(DatabaseError, match=r"holds other data \(answer\)"):
        _open(path)
