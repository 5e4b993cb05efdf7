"""The learner's data is private (folders 0700, database and backups 0600), and a backup that
was killed half-way leaves nothing the next backup does not clear away."""

from __future__ import annotations

import os
import signal
import sqlite3
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

from desktop.cli import main
from desktop.paths import UserPaths
from desktop.services.viva import Viva
from desktop.storage.backups import backup_file, partial_path

pytestmark = pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")
REPO = Path(__file__).resolve().parents[2]


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_a_new_data_folder_and_everything_in_it_is_private(tmp_path: Path) -> None:
    paths = UserPaths(tmp_path / "profile" / "viva")
    viva = Viva.open(paths)
    viva.bank.decks()  # the engine's connection: -wal and -shm exist now
    made = backup_file(paths.database, paths.backups_dir)
    assert _mode(paths.data_dir) == 0o700
    assert _mode(paths.backups_dir) == 0o700
    for file in (paths.database, made, *paths.data_dir.glob("viva.sqlite3-*")):
        assert _mode(file) == 0o600, file
    viva.close()


def test_an_existing_open_data_folder_is_made_private(tmp_path: Path) -> None:
    paths = UserPaths(tmp_path / "viva")
    Viva.open(paths).close()
    paths.data_dir.chmod(0o755)
    paths.database.chmod(0o644)
    Viva.open(paths).close()
    assert (_mode(paths.data_dir), _mode(paths.database)) == (0o700, 0o600)


def test_a_folder_chosen_for_db_keeps_its_permissions(tmp_path: Path) -> None:
    folder = tmp_path / "shared"
    folder.mkdir(mode=0o755)
    folder.chmod(0o755)
    assert main(["questions", "--db", str(folder / "mine.sqlite3")]) == 0
    assert _mode(folder) == 0o755 and _mode(folder / "mine.sqlite3") == 0o600


def test_a_killed_backup_leaves_nothing_after_the_next_one(tmp_path: Path) -> None:
    paths = UserPaths(tmp_path / "viva")
    Viva.open(paths).close()
    # A copy stopped mid-write by a process that is gone: its partial file and journal.
    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    gone.wait()
    stale = paths.backups_dir / f"viva-manual-20260101T000000000000Z.sqlite3.{gone.pid}.partial"
    paths.backups_dir.mkdir(parents=True, exist_ok=True)
    stale.write_bytes(b"SQLite format 3\x00half")
    stale.with_name(stale.name + "-journal").write_bytes(b"journal")
    # A copy being written right now by this process is left alone.
    live = partial_path(paths.backups_dir / "viva-manual-live.sqlite3")
    live.write_bytes(b"SQLite format 3\x00being written")
    backup_file(paths.database, paths.backups_dir)
    left = sorted(p.name for p in paths.backups_dir.iterdir() if ".partial" in p.name)
    assert left == [live.name]


def test_backups_killed_at_random_moments_leave_no_partial_files(
    tmp_path: Path, viva_process: list[str]
) -> None:
    db = tmp_path / "big.sqlite3"
    assert main(["questions", "--db", str(db)]) == 0
    conn = sqlite3.connect(db)
    conn.execute("CREATE TABLE IF NOT EXISTS padding (x BLOB)")  # pages for the copy to take
    conn.executemany("INSERT INTO padding VALUES (randomblob(4096))", [()] * 20_000)
    conn.commit()
    conn.close()
    backups = tmp_path / "backups"
    command = [*viva_process, "backup", "--db", str(db)]
    left_behind = []
    for _ in range(3):
        process = subprocess.Popen(command, cwd=REPO, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 30
        while process.poll() is None and time.monotonic() < deadline:
            if backups.is_dir() and any(".partial" in p.name for p in backups.iterdir()):
                process.send_signal(signal.SIGKILL)  # mid-copy
                break
            time.sleep(0.002)
        process.wait(timeout=30)
        left_behind += [p.name for p in backups.iterdir() if ".partial" in p.name]
    assert left_behind  # the kills landed mid-copy
    assert main(["backup", "--db", str(db)]) == 0
    assert [p.name for p in backups.iterdir() if ".partial" in p.name] == []


def test_the_log_folder_is_private(tmp_path: Path) -> None:
    from desktop.app import configure_logging

    configure_logging(tmp_path / "viva" / "logs")
    try:
        assert _mode(tmp_path / "viva" / "logs") == 0o700
    finally:
        configure_logging(tmp_path / "elsewhere" / "logs")  # lets go of the first file
