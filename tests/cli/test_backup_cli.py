"""`python -m desktop backup` and `restore`."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from desktop.cli import main


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
