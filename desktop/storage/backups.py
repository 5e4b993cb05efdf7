"""Backups of the database file with SQLite's online backup API.

- before a migration (always),
- once a day when the app starts, keeping the last 7 daily and the last 4 weekly copies,
- on request (`python -m desktop backup`), and before a restore replaces the database.
"""

from __future__ import annotations

import shutil
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

from desktop.core.errors import DatabaseError
from desktop.storage import migrations
from desktop.storage.sqlite_errors import sqlite_error_code

DAILY_KEEP = 7
WEEKLY_KEEP = 4
_STAMP = "%Y%m%dT%H%M%S%fZ"


def _copy(source: sqlite3.Connection, target_path: Path) -> None:
    target_path.parent.mkdir(parents=True, exist_ok=True)
    partial = target_path.with_suffix(target_path.suffix + ".partial")
    target = sqlite3.connect(partial)
    try:
        source.backup(target)
        # A copy is one self-contained file: no -wal/-shm beside it when it is opened later.
        target.execute("PRAGMA journal_mode = DELETE")
    finally:
        target.close()
    partial.replace(target_path)


def _read_only(path: Path) -> sqlite3.Connection:
    # A URI built from the path itself would break on names with "?", "#" or "%".
    return sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)


def backup_name(kind: str, at: datetime) -> str:
    return f"viva-{kind}-{at.astimezone(UTC).strftime(_STAMP)}.sqlite3"


def backup_file(
    database: Path, backups_dir: Path, *, kind: str = "manual", at: datetime | None = None
) -> Path:
    """Copies a consistent snapshot of `database` into `backups_dir`; returns the copy's path."""
    target = backups_dir / backup_name(kind, at or datetime.now(UTC))
    if not database.is_file():
        raise DatabaseError(f"There is no database at {database} to back up.")
    try:
        source = sqlite3.connect(database)
        try:
            _copy(source, target)
        finally:
            source.close()
    except sqlite3.Error as error:
        raise DatabaseError(f"Could not back up {database}: {error}") from error
    return target


def backup_before_migration(
    conn: sqlite3.Connection, database: Path, backups_dir: Path, *, from_version: int
) -> Path:
    target = backups_dir / backup_name(f"before-migration-v{from_version}", datetime.now(UTC))
    _copy(conn, target)
    return target


def _parse_stamp(path: Path) -> datetime | None:
    try:
        return datetime.strptime(path.stem.rsplit("-", 1)[-1], _STAMP).replace(tzinfo=UTC)
    except ValueError:
        return None


def daily_backups(backups_dir: Path) -> list[tuple[datetime, Path]]:
    found = []
    for path in backups_dir.glob("viva-daily-*.sqlite3"):
        stamp = _parse_stamp(path)
        if stamp is not None:
            found.append((stamp, path))
    return sorted(found)


def prune_daily_backups(backups_dir: Path) -> list[Path]:
    """Keeps the newest daily copy of each of the last 7 days that have one, plus the newest
    copy of each of the 4 weeks before those (like `borg prune --keep-daily 7 --keep-weekly 4`:
    a week whose newest copy is already kept as a daily one does not count, so the weekly copies
    reach four weeks further back). Returns the files it removed."""
    newest_first = sorted(daily_backups(backups_dir), reverse=True)
    keep: set[Path] = set()
    for rule, limit in (("daily", DAILY_KEEP), ("weekly", WEEKLY_KEEP)):
        kept = 0
        last_period: object = None
        for stamp, path in newest_first:
            iso = stamp.isocalendar()
            period = stamp.date() if rule == "daily" else (iso.year, iso.week)
            if period == last_period:
                continue
            last_period = period
            if path not in keep:
                keep.add(path)
                kept += 1
                if kept == limit:
                    break
    removed = []
    for _, path in newest_first:
        if path not in keep:
            path.unlink(missing_ok=True)
            removed.append(path)
    return removed


def daily_backup_if_due(
    database: Path, backups_dir: Path, *, now: datetime | None = None
) -> Path | None:
    """Makes today's automatic backup unless one exists for this UTC day; then prunes."""
    now = now or datetime.now(UTC)
    if not database.exists():
        return None
    latest = daily_backups(backups_dir)
    if latest and latest[-1][0].date() == now.astimezone(UTC).date():
        return None
    made = backup_file(database, backups_dir, kind="daily", at=now)
    prune_daily_backups(backups_dir)
    return made


def _check_backup(candidate: Path) -> None:
    if not candidate.is_file():
        raise DatabaseError(f"{candidate} does not exist or is not a file; nothing was changed.")
    try:
        conn = _read_only(candidate)
        try:
            result = conn.execute("PRAGMA quick_check").fetchone()[0]
            conn.execute("SELECT count(*) FROM questions").fetchone()
            version = int(conn.execute("PRAGMA user_version").fetchone()[0])
        finally:
            conn.close()
    except sqlite3.Error as error:
        raise DatabaseError(
            f"{candidate} is not a Viva backup ({error}); nothing was changed."
        ) from error
    if result != "ok":
        raise DatabaseError(f"{candidate} is damaged ({result}); nothing was changed.")
    if version > migrations.LATEST_VERSION:
        raise DatabaseError(
            f"{candidate} was written by a newer version of Viva (schema version {version}); "
            "update Viva to restore it. Nothing was changed."
        )


def _safety_copy(database: Path, backups_dir: Path) -> Path:
    """A copy of the database about to be replaced; a raw copy when it is not readable as a
    database (a damaged file is exactly what people restore over, and it is kept too)."""
    try:
        return backup_file(database, backups_dir, kind="before-restore")
    except DatabaseError:
        target = backups_dir / backup_name("before-restore-raw", datetime.now(UTC))
        backups_dir.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(database, target)
        return target


def _replace_file(candidate: Path, database: Path) -> None:
    """Puts a fresh copy of `candidate` in place of `database` (whose file is unusable)."""
    source = _read_only(candidate)
    try:
        staged = database.with_name(database.name + ".restoring")
        staged.unlink(missing_ok=True)
        _copy(source, staged)
    finally:
        source.close()
    for suffix in ("-wal", "-shm", "-journal"):
        database.with_name(database.name + suffix).unlink(missing_ok=True)
    staged.replace(database)


def restore(candidate: Path, database: Path, backups_dir: Path) -> Path | None:
    """Replaces `database` with the backup `candidate`, after backing up the current file.

    Returns the safety copy of the database it replaced (None when there was none).
    """
    _check_backup(candidate)
    if candidate.resolve() == database.resolve():
        raise DatabaseError(f"{candidate} is the database itself; nothing was changed.")
    safety = None
    if database.exists() and database.stat().st_size > 0:
        safety = _safety_copy(database, backups_dir)
    try:
        source = _read_only(candidate)
        target = sqlite3.connect(database)
        try:
            source.backup(target)
        finally:
            source.close()
            target.close()
    except sqlite3.DatabaseError as error:
        if sqlite_error_code(error) not in (sqlite3.SQLITE_NOTADB, sqlite3.SQLITE_CORRUPT):
            raise DatabaseError(f"Could not restore {candidate}: {error}") from error
        _replace_file(candidate, database)  # the current file is not a usable database
    except sqlite3.Error as error:
        raise DatabaseError(f"Could not restore {candidate}: {error}") from error
    return safety
