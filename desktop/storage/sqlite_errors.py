"""What a SQLite error means for the learner, decided by SQLite's result code (as qutebrowser's
`misc/sql.py` does), never by the wording of the message."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

from desktop.core.errors import DatabaseError

_IN_USE = frozenset({sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED})
_DAMAGED = frozenset({sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB})
_UNWRITABLE = frozenset({sqlite3.SQLITE_READONLY, sqlite3.SQLITE_CANTOPEN, sqlite3.SQLITE_PERM})
_DISK_FULL = sqlite3.SQLITE_FULL
# SQLite reports a write that fails for want of space as a plain I/O error in some places (the
# shared-memory file of WAL, a journal): with less free space than this, that is what it is.
LOW_SPACE_BYTES = 8 * 1024 * 1024


def sqlite_error_code(error: Exception) -> int | None:
    """The primary SQLite result code of an error (extended codes keep it in the low byte)."""
    code = getattr(error, "sqlite_errorcode", None)
    return code & 0xFF if isinstance(code, int) else None


def is_damaged(error: Exception) -> bool:
    """The file is not a database SQLite can read (damaged, or not a database at all)."""
    return sqlite_error_code(error) in _DAMAGED


def _free_bytes(path: Path) -> int | None:
    folder = path.parent
    while not folder.exists() and folder != folder.parent:
        folder = folder.parent
    try:
        return shutil.disk_usage(folder).free
    except OSError:
        return None


def database_in_use(path: Path, *, details: str = "") -> DatabaseError:
    return DatabaseError(
        f"The database {path} is in use by another program (is Viva already open?). "
        "Close it and try again.",
        details=details,
    )


def explain_sqlite_error(path: Path, error: Exception) -> DatabaseError:
    """Turns sqlite3's terse errors into messages a learner understands, by SQLite's result
    code (as qutebrowser's `misc/sql.py` does), never by the wording of the message."""
    code = sqlite_error_code(error)
    if code in _IN_USE:
        return database_in_use(path, details=str(error))
    if code in _DAMAGED:
        return DatabaseError(
            f"The database {path} is damaged. Restore a backup with "
            "`python -m desktop restore FILE` (your backups are in the backups folder).",
            details=str(error),
        )
    if code in _UNWRITABLE:
        return DatabaseError(
            f"The database {path} cannot be written. Check the folder's permissions.",
            details=str(error),
        )
    free = _free_bytes(path) if code in (_DISK_FULL, sqlite3.SQLITE_IOERR) else None
    if code == _DISK_FULL or (free is not None and free < LOW_SPACE_BYTES):
        left = "" if free is None else f" ({free // 1024} KB left)"
        return DatabaseError(
            f"The disk holding {path} is full{left}. Free some space and try again; "
            "nothing was changed.",
            details=str(error),
        )
    if code == sqlite3.SQLITE_IOERR:
        return DatabaseError(
            f"The database {path} could not be read or written (the disk reported an error). "
            "Check the disk and try again; nothing was changed.",
            details=str(error),
        )
    return DatabaseError(f"The database {path} could not be used: {error}", details=str(error))
