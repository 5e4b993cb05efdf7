"""SQLite database files on disk: what a path must be before SQLite opens it, read-only
connections, and page copies that give up under another program's lock as every other
database operation does (after `BUSY_TIMEOUT_MS`) instead of waiting for ever."""

from __future__ import annotations

import contextlib
import sqlite3
import stat
import time
from pathlib import Path

from desktop.core.output_targets import SQLITE_COMPANION_SUFFIXES
from desktop.storage.sqlite_errors import database_in_use

SQLITE_HEADER = b"SQLite format 3\x00"
BUSY_TIMEOUT_MS = 5000
SIDECAR_SUFFIXES = SQLITE_COMPANION_SUFFIXES


def sqlite_file_problem(path: Path) -> str | None:
    """Why SQLite must not open `path` (a folder, a special file such as a FIFO, which would
    block, an unreadable file, a file that is not SQLite); None for a SQLite file, an empty
    file, or no file yet."""
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        return None
    except OSError as error:
        return f"it cannot be read: {error.strerror or error}"
    if stat.S_ISDIR(mode):
        return "it is a folder, not a file"
    if not stat.S_ISREG(mode):
        return "it is not a regular file"
    try:
        with path.open("rb") as handle:
            header = handle.read(len(SQLITE_HEADER))
    except OSError as error:
        return f"it cannot be read: {error.strerror or error}"
    if header and header != SQLITE_HEADER:
        return "it is not a SQLite file"
    return None


def is_empty_or_missing(path: Path) -> bool:
    try:
        return path.stat().st_size == 0
    except FileNotFoundError:
        return True


def connect(path: Path) -> sqlite3.Connection:
    """A connection that waits for another program's lock as long as every connection does."""
    return sqlite3.connect(path, timeout=BUSY_TIMEOUT_MS / 1000)


def open_read_only(path: Path) -> sqlite3.Connection:
    # A URI built from the path itself would break on names with "?", "#" or "%".
    return sqlite3.connect(
        f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=BUSY_TIMEOUT_MS / 1000
    )


def copy_pages(source: sqlite3.Connection, target: sqlite3.Connection, *, locked: Path) -> None:
    """Copies the whole `source` database into `target` with SQLite's online backup API.

    sqlite3's `backup` retries a locked database for ever; this gives up once the lock has
    lasted `BUSY_TIMEOUT_MS`, with the message every other operation gives for `locked`.
    """
    deadline = time.monotonic() + BUSY_TIMEOUT_MS / 1000

    def give_up_when_locked_too_long(status: int, _remaining: int, _total: int) -> None:
        if status in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED) and time.monotonic() > deadline:
            raise database_in_use(locked, details="SQLite kept answering 'database is locked'")

    source.backup(target, progress=give_up_when_locked_too_long)


def remove_database_file(path: Path) -> None:
    """Removes a database file and whatever SQLite kept beside it; for half-written copies."""
    for stray in (path, *(path.with_name(path.name + s) for s in SIDECAR_SUFFIXES)):
        with contextlib.suppress(OSError):  # best effort: the error that stopped it is reported
            stray.unlink(missing_ok=True)
