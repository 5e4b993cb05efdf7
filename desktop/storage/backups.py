"""Backups of the database file with SQLite's online backup API.

- before a migration (always),
- once a day when the app starts, keeping the last 7 daily and the last 4 weekly copies,
- on request (`python -m desktop backup`), and before a restore replaces the database.

A copy is written beside its final name as `.partial` and renamed into place once complete;
a copy that fails leaves nothing behind, and one locked by another program gives up as every
other database operation does.
"""

from __future__ import annotations

import os
import re
import sqlite3
import time
from datetime import UTC, datetime
from pathlib import Path

from desktop.core.errors import DatabaseError
from desktop.core.output_targets import ProtectedFiles
from desktop.storage.private_files import create_private_file, make_private_folder
from desktop.storage.sqlite_files import (
    SIDECAR_SUFFIXES,
    connect,
    copy_pages,
    remove_database_file,
)

DAILY_KEEP = 7
WEEKLY_KEEP = 4
_STAMP = "%Y%m%dT%H%M%S%fZ"


def _write_copy(source: sqlite3.Connection, partial: Path, *, source_file: Path) -> None:
    """Writes a self-contained copy of `source` (the database in `source_file`) at `partial`;
    on any failure nothing is left there (nor beside it)."""
    remove_database_file(partial)  # left by a copy that was stopped
    try:
        partial.parent.mkdir(parents=True, exist_ok=True)
        create_private_file(partial)
        target = sqlite3.connect(partial)
        try:
            copy_pages(source, target, locked=source_file)
            # A copy is one self-contained file: no -wal/-shm beside it when it is opened later.
            target.execute("PRAGMA journal_mode = DELETE")
        finally:
            target.close()
    except BaseException:
        remove_database_file(partial)
        raise


def partial_path(target: Path) -> Path:
    """Where this process writes a copy before it is renamed to `target`."""
    return target.with_name(f"{target.name}.{os.getpid()}.partial")


# A copy being written, with the writer's process id: NAME.PID.partial, and SQLite's files
# beside it (NAME.PID.partial-journal ...).
_PARTIAL = r"\.(?P<pid>\d+)\.partial(-journal|-wal|-shm)?"
# A half-written copy whose writer cannot be asked (a system where that cannot be checked) is
# stale once it has not changed for this long.
_STALE_AFTER_S = 3600.0


def _writer_gone(pid: int) -> bool:
    if pid == os.getpid() or os.name != "posix":
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except OSError:
        return False
    return False


def remove_stale_partials(folder: Path, *, of: str | None = None) -> None:
    """Removes the half-written copies (and SQLite's files beside them) left in `folder` by
    copies that were stopped: their process is gone, or they have not changed for an hour.
    `of`: only those of the copy named so (None: every one, in a folder that is Viva's)."""
    pattern = re.compile((".+" if of is None else re.escape(of)) + _PARTIAL)
    try:
        entries = list(folder.iterdir())
    except OSError:
        return
    now = time.time()
    for entry in entries:
        found = pattern.fullmatch(entry.name)
        if found is None:
            continue
        try:
            stale = _writer_gone(int(found["pid"])) or now - entry.stat().st_mtime > _STALE_AFTER_S
            if stale and entry.is_file():
                entry.unlink()
        except OSError:
            continue  # best effort: a copy that cannot be removed now is tried next time


def copy_database(
    source: sqlite3.Connection, target_path: Path, *, source_file: Path, replaces: bool = False
) -> None:
    """Copies `source` (the database in `source_file`) to `target_path`, which holds the whole
    copy or is left as it was. `replaces`: `target_path` is a database being replaced, so the
    files SQLite kept beside it go first (they belong to the old file, not to the copy)."""
    partial = partial_path(target_path)
    remove_stale_partials(target_path.parent, of=target_path.name)
    _write_copy(source, partial, source_file=source_file)
    try:
        if replaces:
            for suffix in SIDECAR_SUFFIXES:
                target_path.with_name(target_path.name + suffix).unlink(missing_ok=True)
        partial.replace(target_path)
    except BaseException:
        remove_database_file(partial)
        raise


def backup_name(kind: str, at: datetime) -> str:
    return f"viva-{kind}-{at.astimezone(UTC).strftime(_STAMP)}.sqlite3"


def backup_file(
    database: Path, backups_dir: Path, *, kind: str = "manual", at: datetime | None = None
) -> Path:
    """Copies a consistent snapshot of `database` into `backups_dir`; returns the copy's path."""
    target = backups_dir / backup_name(kind, at or datetime.now(UTC))
    ProtectedFiles(database, backups_dir).check_output(target, writing="the backup", backup=True)
    make_private_folder(backups_dir)
    remove_stale_partials(backups_dir)
    if not database.is_file():
        raise DatabaseError(f"There is no database at {database} to back up.")
    try:
        source = connect(database)
        try:
            copy_database(source, target, source_file=database)
        finally:
            source.close()
    except (sqlite3.Error, OSError) as error:
        raise DatabaseError(f"Could not back up {database}: {error}") from error
    return target


def backup_before_migration(
    conn: sqlite3.Connection, database: Path, backups_dir: Path, *, from_version: int
) -> Path:
    target = backups_dir / backup_name(f"before-migration-v{from_version}", datetime.now(UTC))
    try:
        make_private_folder(backups_dir)
        copy_database(conn, target, source_file=database)
    except OSError as error:
        raise DatabaseError(
            f"Could not back up {database} before upgrading it: {error}. The database was not "
            "changed; free some space or check the backups folder's permissions."
        ) from error
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
