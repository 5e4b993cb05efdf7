"""`python -m desktop backup` and `restore`, and what every command does with a database path
that is not a Viva database file and with a reader that stops reading."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from desktop.cli import main
from desktop.cli.context import EXIT_BROKEN_PIPE
from desktop.paths import DATA_DIR_ENV
from desktop.storage.sqlite_files import BUSY_TIMEOUT_MS


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def _count(path: Path, where: str = "1") -> int:
    conn = sqlite3.connect(path)
    try:
        return int(conn.execute(f"SELECT count(*) FROM questions WHERE {where}").fetchone()[0])
    finally:
        conn.close()


def test_backup_then_restore(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, seed_notes: Path
) -> None:
    db = tmp_path / "viva.sqlite3"
    assert run(capsys, "--db", str(db), "import", str(seed_notes))[0] == 0
    code, out, _ = run(capsys, "--db", str(db), "backup", "--json")
    assert code == 0
    backup = Path(json.loads(out)["backup"])
    assert backup.parent == tmp_path / "backups"
    assert _count(backup) == 36

    conn = sqlite3.connect(db)
    conn.execute("UPDATE questions SET status = 'retired' WHERE id = 1")
    conn.commit()
    conn.close()

    code, out, _ = run(capsys, "--db", str(db), "restore", str(backup), "--json")
    assert code == 0
    result = json.loads(out)
    previous = Path(result["previous_saved_as"])
    assert previous.name.startswith("viva-before-restore-")
    assert _count(previous, "status = 'retired'") == 1  # the replaced database was kept
    assert _count(db, "status = 'retired'") == 0
    code, out, _ = run(capsys, "--db", str(db), "questions", "--json")
    assert len(json.loads(out)) == 36


def test_restore_refuses_a_file_that_is_not_a_backup(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, seed_notes: Path
) -> None:
    db = tmp_path / "viva.sqlite3"
    run(capsys, "--db", str(db), "import", str(seed_notes))
    before = db.read_bytes()
    for candidate in (seed_notes, tmp_path / "missing.sqlite3"):
        code, out, err = run(capsys, "--db", str(db), "restore", str(candidate))
        assert code == 2
        assert out == ""
        assert err.startswith(f"error: {candidate}")
        assert "nothing was changed" in err
    assert db.read_bytes() == before
    assert not (tmp_path / "backups").exists()


def test_restore_of_a_foreign_sqlite_file_is_refused_and_every_command_still_works(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, seed_notes: Path
) -> None:
    db = tmp_path / "viva.sqlite3"
    run(capsys, "--db", str(db), "import", str(seed_notes))
    foreign = tmp_path / "foreign.sqlite3"
    conn = sqlite3.connect(foreign)
    conn.execute("CREATE TABLE questions (id INTEGER PRIMARY KEY, prompt TEXT)")
    conn.execute("INSERT INTO questions (prompt) VALUES ('not one of Viva''s')")
    conn.commit()
    conn.close()
    code, out, err = run(capsys, "--db", str(db), "restore", str(foreign))
    assert (code, out) == (2, "")
    assert f"error: {foreign} is not a Viva backup" in err
    code, out, _ = run(capsys, "--db", str(db), "questions", "--json")
    assert code == 0 and len(json.loads(out)) == 36
    code, _, err = run(capsys, "--db", str(foreign), "questions")
    assert code == 2 and "Viva only writes into its own databases" in err
    assert _count(foreign) == 1


def test_restore_on_a_fresh_install(
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    seed_notes: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    db = tmp_path / "elsewhere" / "viva.sqlite3"
    run(capsys, "--db", str(db), "import", str(seed_notes))
    out = run(capsys, "--db", str(db), "backup", "--json")[1]
    backup = Path(json.loads(out)["backup"])
    data_dir = tmp_path / "fresh" / "data"  # no data folder yet
    monkeypatch.setenv(DATA_DIR_ENV, str(data_dir))
    code, out, err = run(capsys, "restore", str(backup), "--json")
    assert code == 0, err
    assert json.loads(out)["previous_saved_as"] is None
    assert _count(data_dir / "viva.sqlite3") == 36
    code, out, _ = run(capsys, "questions", "--json")
    assert code == 0 and len(json.loads(out)) == 36
    assert not [p for p in data_dir.rglob("*") if ".partial" in p.name]


def _cli(*args: str, viva_process: list[str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*viva_process, *args],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )


LOCK_HOLDER = """
import sqlite3, sys, time
conn = sqlite3.connect(sys.argv[1], isolation_level=None)
conn.execute("BEGIN IMMEDIATE")
conn.execute("UPDATE questions SET status = status")
print("locked", flush=True)
time.sleep(120)
"""


def test_restore_gives_up_under_another_process_write_lock(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, seed_notes: Path, viva_process: list[str]
) -> None:
    db = tmp_path / "viva.sqlite3"
    run(capsys, "--db", str(db), "import", str(seed_notes))
    out = run(capsys, "--db", str(db), "backup", "--json")[1]
    backup = Path(json.loads(out)["backup"])
    with subprocess.Popen(
        [sys.executable, "-c", LOCK_HOLDER, str(db)], stdout=subprocess.PIPE, text=True
    ) as holder:
        try:
            assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
            started = time.monotonic()
            result = _cli("--db", str(db), "restore", str(backup), viva_process=viva_process)
            elapsed = time.monotonic() - started
        finally:
            holder.kill()
    assert result.returncode == 2, result.stderr
    assert "is in use by another program" in result.stderr
    assert "Nothing was restored" in result.stderr
    assert "Traceback" not in result.stderr
    busy_s = BUSY_TIMEOUT_MS / 1000
    assert busy_s - 0.5 < elapsed < busy_s + 5  # the process starts, waits the timeout, stops
    assert not list((tmp_path / "backups").glob("viva-before-restore-*"))
    assert not [p for p in tmp_path.rglob("*") if ".partial" in p.name]


def test_a_folder_or_a_symlink_loop_as_the_database_is_explained(
    tmp_path: Path, viva_process: list[str]
) -> None:
    folder = tmp_path / "a-folder"
    folder.mkdir()
    loop = tmp_path / "loop"
    loop.symlink_to(tmp_path / "loop-back")
    (tmp_path / "loop-back").symlink_to(loop)
    for database, message in (
        (folder, f"error: {folder} is not a Viva database (it is a folder"),
        (loop, f"error: The database path {loop} cannot be used"),
    ):
        result = _cli("--db", str(database), "questions", viva_process=viva_process)
        assert result.returncode == 2
        assert result.stderr.startswith(message), result.stderr
        assert "Traceback" not in result.stderr
    assert list(folder.iterdir()) == []


def test_output_into_a_closed_pipe_stops_quietly(
    tmp_path: Path, seed_notes: Path, viva_process: list[str]
) -> None:
    """`viva questions --json | head -1`: the reader goes away before the output is written."""
    db = tmp_path / "viva.sqlite3"
    assert (
        _cli("--db", str(db), "import", str(seed_notes), viva_process=viva_process).returncode == 0
    )
    with subprocess.Popen(
        [*viva_process, "--db", str(db), "questions", "--json"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    ) as process:
        assert process.stdout is not None and process.stderr is not None
        process.stdout.close()  # nobody reads: every write fails with EPIPE
        stderr = process.stderr.read()
        assert process.wait(timeout=120) == EXIT_BROKEN_PIPE
    assert stderr == ""
