"""Opening the SQLite database: connection settings, migrations, clear errors.

Every connection runs with WAL, foreign keys on and synchronous=NORMAL. A path that is a
folder, a file that is not a SQLite database, another program's SQLite database, a damaged one,
one locked by another program, or one from a newer version of the app each raises
`DatabaseError` with a message a person can act on, and is left as it was.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, event
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, sessionmaker

from desktop.core.errors import DatabaseError
from desktop.storage import migrations
from desktop.storage.backups import backup_before_migration
from desktop.storage.sqlite_errors import explain_sqlite_error
from desktop.storage.sqlite_files import BUSY_TIMEOUT_MS, sqlite_file_problem
from desktop.storage.viva_layout import layout_problem


def _configure_connection(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS:d}")
    cursor.execute("PRAGMA journal_mode = WAL")
    cursor.execute("PRAGMA foreign_keys = ON")
    cursor.execute("PRAGMA synchronous = NORMAL")
    cursor.close()


def _check_is_sqlite(path: Path) -> None:
    problem = sqlite_file_problem(path)
    if problem is not None:
        raise DatabaseError(
            f"{path} is not a Viva database ({problem}). Choose another file; "
            "this one was not changed."
        )


def _check_is_vivas(path: Path, conn: sqlite3.Connection, version: int) -> None:
    """Viva never adds its tables to another program's database."""
    problem = layout_problem(conn, version)
    if problem is not None:
        raise DatabaseError(
            f"{path} is not a Viva database ({problem}). Viva only writes into its own "
            "databases: choose another file, or a new name for a new database; this one was "
            "not changed."
        )


def _check_integrity(path: Path, conn: sqlite3.Connection) -> None:
    problems = [row[0] for row in conn.execute("PRAGMA quick_check").fetchall()]
    if problems != ["ok"]:
        raise DatabaseError(
            f"The database {path} is damaged. Restore a backup with "
            "`python -m desktop restore FILE` (your backups are in the backups folder); "
            "this file was not changed.",
            details="; ".join(str(problem) for problem in problems[:5]),
        )


def migrate(path: Path, backups_dir: Path) -> int:
    """Brings the file at `path` to the latest schema; returns the version it had before.

    A file that is not a database, is another program's, is damaged, or comes from a newer
    version is refused before anything writes to it (even switching to WAL rewrites the file's
    header).
    """
    _check_is_sqlite(path)
    conn = sqlite3.connect(path, isolation_level=None, timeout=BUSY_TIMEOUT_MS / 1000)
    try:
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS:d}")
        before = migrations.schema_version(conn)
        pending = migrations.pending_migrations(conn)
        _check_integrity(path, conn)
        _check_is_vivas(path, conn, before)
        _configure_connection(conn, None)
        if pending and before > 0:
            backup_before_migration(conn, path, backups_dir, from_version=before)
        for migration in pending:
            migrations.apply_migration(conn, migration)
        return before
    except DatabaseError:
        raise
    except sqlite3.Error as error:
        raise explain_sqlite_error(path, error) from error
    finally:
        conn.close()


class Database:
    """An open, migrated database file and the session factory the repositories use."""

    def __init__(self, path: Path, engine: Engine) -> None:
        self.path = path
        self.engine = engine
        self._sessions = sessionmaker(engine, expire_on_commit=False)

    @classmethod
    def open(cls, path: Path, *, backups_dir: Path | None = None) -> Database:
        path = path.expanduser().resolve()
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise DatabaseError(f"Cannot create the folder for {path}: {error}") from error
        migrate(path, backups_dir or path.parent / "backups")
        engine = create_engine(
            f"sqlite:///{path}", connect_args={"timeout": BUSY_TIMEOUT_MS / 1000}
        )
        event.listen(engine, "connect", _configure_connection)
        return cls(path, engine)

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A unit of work: committed when the block ends, rolled back on any error."""
        session = self._sessions()
        try:
            with session.begin():
                yield session
        except DBAPIError as error:
            original = error.orig if isinstance(error.orig, sqlite3.Error) else error
            raise explain_sqlite_error(self.path, original) from error
        finally:
            session.close()

    def close(self) -> None:
        self.engine.dispose()
