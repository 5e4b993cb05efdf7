"""Opening the SQLite database: connection settings, migrations, transactions, clear errors.

Every connection runs with WAL, foreign keys on and synchronous=NORMAL. A path that is a
folder, a file that is not a SQLite database, another program's SQLite database, a damaged one,
one locked by another program, or one from a newer version of the app each raises
`DatabaseError` with a message a person can act on, and is left as it was.

Transactions are SQLite's own, begun by the app rather than by the driver:

- `session()` is a unit of work that may write. It begins with `BEGIN IMMEDIATE`, so it holds
  the write lock from its first read: what it reads cannot change under it before it writes,
  and two processes changing the same card queue one behind the other instead of one
  overwriting the other's update.
- `reading()` is a read-only unit: a deferred transaction, one consistent snapshot that never
  waits for a writer (WAL).
- `transaction()` makes every `session()` and `reading()` opened inside it, on this thread,
  part of one transaction: a change made of many steps (notes and their review history) is
  there whole or not at all, whenever the process stops.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from contextvars import ContextVar
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, event
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, sessionmaker

from desktop.core.errors import DatabaseError
from desktop.storage import migrations
from desktop.storage.backups import backup_before_migration
from desktop.storage.private_files import create_private_file, make_private
from desktop.storage.sqlite_errors import explain_sqlite_error
from desktop.storage.sqlite_files import BUSY_TIMEOUT_MS, SIDECAR_SUFFIXES, sqlite_file_problem
from desktop.storage.viva_layout import layout_problem


def _configure_connection(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS:d}")
    cursor.execute("PRAGMA journal_mode = WAL")
    cursor.execute("PRAGMA foreign_keys = ON")
    cursor.execute("PRAGMA synchronous = NORMAL")
    cursor.close()


_WRITES = "viva_writes"


def _driver_leaves_transactions_to_us(dbapi_connection: Any, _record: Any) -> None:
    # The driver would begin a transaction only at the first write, after the reads a change
    # was computed from; `_begin` begins every one where it starts.
    dbapi_connection.isolation_level = None


def _begin(connection: Connection) -> None:
    writes = connection.get_execution_options().get(_WRITES, False)
    connection.exec_driver_sql("BEGIN IMMEDIATE" if writes else "BEGIN DEFERRED")


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
        conn.execute("BEGIN")  # one snapshot for every check, whoever is migrating meanwhile
        try:
            before = migrations.schema_version(conn)
            pending = migrations.pending_migrations(conn)
            _check_integrity(path, conn)
            _check_is_vivas(path, conn, before)
        finally:
            conn.execute("COMMIT")
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
        self._writing = sessionmaker(
            engine.execution_options(**{_WRITES: True}), expire_on_commit=False
        )
        self._reading = sessionmaker(engine, expire_on_commit=False)
        self._ambient: ContextVar[Session | None] = ContextVar(f"viva-{id(self)}", default=None)

    @classmethod
    def open(cls, path: Path, *, backups_dir: Path | None = None) -> Database:
        path = path.expanduser().resolve()
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise DatabaseError(f"Cannot create the folder for {path}: {error}") from error
        create_private_file(path)
        migrate(path, backups_dir or path.parent / "backups")
        make_private(path, *(path.with_name(path.name + s) for s in SIDECAR_SUFFIXES))
        engine = create_engine(
            f"sqlite:///{path}", connect_args={"timeout": BUSY_TIMEOUT_MS / 1000}
        )
        event.listen(engine, "connect", _configure_connection)
        event.listen(engine, "connect", _driver_leaves_transactions_to_us)
        event.listen(engine, "begin", _begin)
        return cls(path, engine)

    def session(self) -> AbstractContextManager[Session]:
        """A unit of work that may write: it holds the write lock from its start, is committed
        when the block ends and rolled back on any error. Inside `transaction()`, that
        transaction's session."""
        return self._unit(self._writing)

    def reading(self) -> AbstractContextManager[Session]:
        """A read-only unit: one consistent snapshot that does not wait for writers. Inside
        `transaction()`, that transaction's session."""
        return self._unit(self._reading)

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """One transaction for everything this thread does with the database inside the block:
        committed at its end, rolled back entirely on any error (or when the process dies)."""
        if self._ambient.get() is not None:
            raise RuntimeError("transactions do not nest")
        with self._fresh(self._writing) as session:
            token = self._ambient.set(session)
            try:
                yield session
            finally:
                self._ambient.reset(token)

    @contextmanager
    def _unit(self, factory: sessionmaker[Session]) -> Iterator[Session]:
        ambient = self._ambient.get()
        if ambient is not None:
            yield ambient
            return
        with self._fresh(factory) as session:
            yield session

    @contextmanager
    def _fresh(self, factory: sessionmaker[Session]) -> Iterator[Session]:
        session = factory()
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
