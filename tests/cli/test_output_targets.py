"""No command writes its output over the database, the files SQLite keeps beside it, a backup,
or a file it is reading: each is refused with exit status 2 and a message, and the database is
unchanged (its bytes, its questions)."""

from __future__ import annotations

import hashlib
import json
import os
from datetime import UTC, datetime
from pathlib import Path

import pytest

from desktop.cli import main
from desktop.core.output_targets import OutputTargetError, ProtectedFiles
from desktop.paths import UserPaths
from desktop.storage.backups import backup_file, backup_name
from desktop.storage.database import Database
from desktop.storage.question_bank import QuestionBank
from tests.sqlite_rows import questions_in


@pytest.fixture
def db(user_paths: UserPaths, seed_notes: Path) -> Path:
    """A closed database with the seed notes, and one backup beside it."""
    assert main(["import", str(seed_notes), "--db", str(user_paths.database)]) == 0
    assert main(["backup", "--db", str(user_paths.database)]) == 0
    return user_paths.database


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _refused(capsys: pytest.CaptureFixture[str], db: Path, *args: str) -> str:
    before, questions = _digest(db), questions_in(db)
    assert main([*args, "--db", str(db)]) == 2
    assert _digest(db) == before and questions_in(db) == questions > 0
    err = capsys.readouterr().err
    assert "Not writing" in err and "nothing was written" in err
    return err


@pytest.mark.parametrize("report_format", ["html", "pdf", "json"])
def test_a_report_over_the_database_is_refused(
    db: Path, report_format: str, capsys: pytest.CaptureFixture[str]
) -> None:
    err = _refused(capsys, db, "report", "--format", report_format, "--out", str(db))
    assert "the database itself" in err


@pytest.mark.parametrize("suffix", ["-wal", "-shm", "-journal"])
def test_a_report_over_a_file_beside_the_database_is_refused(
    db: Path, suffix: str, capsys: pytest.CaptureFixture[str]
) -> None:
    companion = db.with_name(db.name + suffix)
    err = _refused(capsys, db, "report", "--format", "json", "--out", str(companion))
    assert f"the database's {suffix} file" in err
    assert not companion.exists() or suffix != "-journal"


def test_a_report_over_a_backup_is_refused(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (backup,) = (db.parent / "backups").glob("viva-manual-*.sqlite3")
    kept = _digest(backup)
    err = _refused(capsys, db, "report", "--format", "html", "--out", str(backup))
    assert "backups folder" in err and _digest(backup) == kept


def test_a_link_or_a_second_name_for_the_database_is_refused(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    link = tmp_path / "report.html"
    link.symlink_to(db)
    _refused(capsys, db, "report", "--format", "html", "--out", str(link))
    hard = tmp_path / "second-name.json"
    os.link(db, hard)
    _refused(capsys, db, "report", "--format", "json", "--out", str(hard))


def test_a_csv_report_into_the_backups_folder_is_refused(
    db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _refused(capsys, db, "report", "--format", "csv", "--out", str(db.parent / "backups"))
    assert not (db.parent / "backups" / "reviews.csv").exists()


def test_an_anki_package_over_the_database_is_refused(
    tmp_path: Path, seed_notes: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "bank.apkg"  # a database whose name makes it a valid --out
    assert main(["import", str(seed_notes), "--db", str(db)]) == 0
    capsys.readouterr()
    _refused(capsys, db, "export-anki", "--out", str(db))
    link = tmp_path / "viva.apkg"
    link.symlink_to(db)
    _refused(capsys, db, "export-anki", "--out", str(link), "--with-history")


def test_graded_answers_are_never_written_over_their_input_or_the_database(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    answers = tmp_path / "answers.jsonl"
    line = {"id": "a", "question": "What is 2+2?", "reference": "4", "answer": "4"}
    answers.write_text(json.dumps(line) + "\n", encoding="utf-8")
    kept = answers.read_bytes()
    for out in (answers, db):
        _refused(capsys, db, "grade-batch", str(answers), "--out", str(out), "--model", "none")
        assert answers.read_bytes() == kept


def test_a_backup_never_replaces_the_database(tmp_path: Path) -> None:
    # A database kept in its own backups folder under a backup's name: the copy would be
    # written over it.
    at = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)
    folder = tmp_path / "kept"
    database = folder / backup_name("manual", at)
    Database.open(database).close()
    kept = _digest(database)
    with pytest.raises(OutputTargetError, match="the database itself"):
        backup_file(database, folder, at=at)
    assert _digest(database) == kept


def test_restore_refuses_a_second_name_for_the_database(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    hard = tmp_path / "same.sqlite3"
    os.link(db, hard)
    before = _digest(db)
    assert main(["restore", str(hard), "--db", str(db)]) == 2
    assert "the database itself" in capsys.readouterr().err
    assert _digest(db) == before


def test_the_window_s_report_export_is_guarded_too(viva_db: Database) -> None:
    from desktop.core.reports.report import ReportRequest
    from desktop.core.reports.service import ReportFormat
    from desktop.services.viva import Viva

    paths = UserPaths(viva_db.path.parent, viva_db.path)
    service = Viva.over(paths, viva_db).reports()
    report = service.build_report(ReportRequest(None, None))
    with pytest.raises(OutputTargetError, match="the database itself"):
        service.export_report(report, ReportFormat.JSON, viva_db.path)
    assert QuestionBank(viva_db).count() > 0


@pytest.fixture
def viva_db(tmp_path: Path, seed_notes: Path) -> Database:
    from desktop.services.notes_import import import_files

    database = Database.open(tmp_path / "w" / "viva.sqlite3")
    import_files(database, [seed_notes])
    return database


def test_protected_files_name_what_they_protect(tmp_path: Path) -> None:
    protected = ProtectedFiles(tmp_path / "viva.sqlite3", tmp_path / "backups").reading_also(
        [tmp_path / "in.jsonl"]
    )
    assert protected.problem(tmp_path / "report.pdf") is None
    assert "reading" in str(protected.problem(tmp_path / "in.jsonl"))
    assert "backups folder" in str(protected.problem(tmp_path / "backups" / "x" / "y.pdf"))
    assert protected.problem(tmp_path / "backups" / "y.sqlite3", backup=True) is None
