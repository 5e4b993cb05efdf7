"""Ordered schema migrations, tracked in SQLite's `user_version`.

Each migration is a frozen SQL file applied in one transaction; the database file is backed up
before the first migration that changes an existing database. A database written by a newer
version of the app is refused, never modified.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from importlib import resources

from desktop.core.errors import DatabaseTooNewError


@dataclass(frozen=True)
class Migration:
    version: int
    filename: str

    def sql(self) -> str:
        return (
            resources.files("desktop.storage")
            .joinpath("migrations", self.filename)
            .read_text(encoding="utf-8")
        )


MIGRATIONS: tuple[Migration, ...] = (Migration(1, "001_initial.sql"),)
LATEST_VERSION = MIGRATIONS[-1].version


def schema_version(conn: sqlite3.Connection) -> int:
    return int(conn.execute("PRAGMA user_version").fetchone()[0])


def pending_migrations(conn: sqlite3.Connection) -> list[Migration]:
    """Migrations still to apply; raises if the database is newer than this app."""
    current = schema_version(conn)
    if current > LATEST_VERSION:
        raise DatabaseTooNewError(
            f"This database uses schema version {current}, but this version of Viva only "
            f"understands up to version {LATEST_VERSION}. Update Viva to open it; the file "
            "was not changed."
        )
    return [m for m in MIGRATIONS if m.version > current]


def apply_migration(conn: sqlite3.Connection, migration: Migration) -> None:
    """Applies one migration atomically (DDL included: SQLite's DDL is transactional); one
    that another process applied meanwhile (two commands opening a new file at once) is
    skipped."""
    statements = [s.strip() for s in migration.sql().split(";") if s.strip()]
    conn.execute("BEGIN IMMEDIATE")
    if schema_version(conn) >= migration.version:
        conn.execute("ROLLBACK")
        return
    try:
        for statement in statements:
            conn.execute(statement)
        conn.execute(f"PRAGMA user_version = {migration.version:d}")
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")
