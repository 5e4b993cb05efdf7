"""Backups of the database file with SQLite's online backup API.

- before a migration (always),
- once a day when the app starts, keeping the last 7 daily and the last 4 weekly copies,
- on request (`python -m desktop backup`), and before a restore replaces the database.
"""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from pathlib import Path

from desktop.core.errors import DatabaseError

DAILY_KEEP = 7
WEEKLY_KEEP = 4
_STAMP = "%Y%m%dT%H%M%S%fZ"


def _copy(source: sqlite3.Connection, target_path: Path) -> None:
    target_path.parent.mkdir(parents=True, exist_ok=True)
    partial = target_path.with_suffix(target_path.suffix + ".partial")
    target = sqlite3.connect(partial)
    try:
        source.backup(target)
    finally:
        target.close()
    partial.replace(target_path)


def backup_name(kind: str, at: datetime) -> str:
    return f"viva-{kind}-{at.astimezone(UTC).strftime(_STAMP)}.sqlite3"


def backup_file(database: Path, backups_dir: Path, *, kind: str = "manual",
                at: datetime | None = None) -> Path:
    """Copies a consistent snapshot of `database` into `backups_dir`; returns the copy's path."""
    target = backups_dir / backup_name(kind, at or datetime.now(UTC))
    try:
        source = sqlite3.connect(database)
        try:
            _copy(source, target)
        finally:
            source.close()
    except sqlite3.Error as error:
        raise DatabaseError(f"Could not back up {database}: {error}") from error
    return target


def backup_before_migration(conn: sqlite3.Connection, database: Path, backups_dir: Path, *,
                            from_version: int) -> Path:
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
    """Keeps the newest 7 daily copies plus the newest copy of each of the last 4 weeks."""
    backups = daily_backups(backups_dir)
    keep = {path for _, path in backups[-DAILY_KEEP:]}
    newest_per_week: dict[tuple[int, int], Path] = {}
    for stamp, path in backups:
        iso = stamp.isocalendar()
        newest_per_week[(iso.year, iso.week)] = path
    for week in sorted(newest_per_week)[-WEEKLY_KEEP:]:
        keep.add(newest_per_week[week])
    removed = []
    for _, path in backups:
        if path not in keep:
            path.unlink(missing_ok=True)
            removed.append(path)
    return removed


def daily_backup_if_due(database: Path, backups_dir: Path, *, now: datetime | None = None
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
        raise DatabaseError(f"{candidate} does not exist or is not a file.")
    try:
        conn = sqlite3.connect(f"file:{candidate}?mode=ro", uri=True)
        try:
            result = conn.execute("PRAGMA quick_check").fetchone()[0]
            conn.execute("SELECT count(*) FROM questions").fetchone()
        finally:
            conn.close()
    except sqlite3.Error as error:
        raise DatabaseError(
            f"{candidate} is not a usable Viva backup ({error}); nothing was changed."
        ) from error
    if result != "ok":
        raise DatabaseError(f"{candidate} is damaged ({result}); nothing was changed.")


def restore(candidate: Path, database: Path, backups_dir: Path) -> Path | None:
    """Replaces `database` with the backup `candidate`, after backing up the current file.

    Returns the safety copy of the database it replaced (None when there was none).
    """
    _check_backup(candidate)
    safety = None
    if database.exists():
        safety = backup_file(database, backups_dir, kind="before-restore")
    try:
        source = sqlite3.connect(f"file:{candidate}?mode=ro", uri=True)
        target = sqlite3.connect(database)
        try:
            source.backup(target)
        finally:
            source.close()
            target.close()
    except sqlite3.Error as error:
        raise DatabaseError(f"Could not restore {candidate}: {error}") from error
    return safety
