"""Restoring a backup: the file is checked to be an intact Viva database before anything is
replaced, the database it replaces is backed up first, and a database another program holds
locked is given up on as every other operation does, with nothing changed.

Checked, in order: a regular SQLite file; `PRAGMA integrity_check`; a schema version this Viva
knows (not 0, not newer); every table and column that version has. It works on a fresh install
(no data folder, no database yet) and never leaves a half-written file behind.
"""

from __future__ import annotations

import shutil
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

from desktop.core.errors import DatabaseError
from desktop.core.output_targets import ProtectedFiles
from desktop.storage import migrations
from desktop.storage.backups import backup_file, backup_name, copy_database, partial_path
from desktop.storage.private_files import make_private, make_private_folder
from desktop.storage.sqlite_errors import explain_sqlite_error, is_damaged
from desktop.storage.sqlite_files import (
    connect,
    copy_pages,
    is_empty_or_missing,
    open_read_only,
    remove_database_file,
    sqlite_file_problem,
)
from desktop.storage.viva_layout import layout_problem

_UNCHANGED = "nothing was changed."
_SHOWN_PROBLEMS = 3


def _candidate_problem(conn: sqlite3.Connection) -> str | None:
    problems = [str(row[0]) for row in conn.execute("PRAGMA integrity_check").fetchall()]
    if problems != ["ok"]:
        return f"is damaged ({'; '.join(problems[:_SHOWN_PROBLEMS])})"
    version = migrations.schema_version(conn)
    if version > migrations.LATEST_VERSION:
        return (
            f"was written by a newer version of Viva (schema version {version}); update Viva "
            "to restore it"
        )
    if version == 0:
        return (
            "is not a Viva backup (its schema version is 0: Viva never made it, or its version "
            "was reset)"
        )
    problem = layout_problem(conn, version)
    return None if problem is None else f"is not a Viva backup ({problem})"


def check_backup(candidate: Path) -> None:
    """Raises `DatabaseError` unless `candidate` is an intact Viva database this Viva can open."""
    if not candidate.is_file():
        raise DatabaseError(f"{candidate} does not exist or is not a file; {_UNCHANGED}")
    problem = sqlite_file_problem(candidate)
    if problem is None and is_empty_or_missing(candidate):
        problem = "it is empty"
    if problem is not None:
        raise DatabaseError(f"{candidate} is not a Viva backup ({problem}); {_UNCHANGED}")
    try:
        conn = open_read_only(candidate)
        try:
            found = _candidate_problem(conn)
        finally:
            conn.close()
    except sqlite3.Error as error:
        what = "is damaged" if is_damaged(error) else "is not a Viva backup"
        raise DatabaseError(f"{candidate} {what} ({error}); {_UNCHANGED}") from error
    if found is not None:
        raise DatabaseError(f"{candidate} {found}; {_UNCHANGED}")


def _check_target(candidate: Path, database: Path, backups_dir: Path) -> None:
    itself = ProtectedFiles(database, backups_dir).problem(candidate, backup=True)
    if itself is not None:
        raise DatabaseError(f"Not restoring: {itself}; {_UNCHANGED}")
    if database.exists() and not database.is_file():
        raise DatabaseError(
            f"The database path {database} is a folder or a special file, not a database "
            f"file; {_UNCHANGED}"
        )
    try:
        database.parent.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise DatabaseError(
            f"Cannot create the folder for {database}: {error}; {_UNCHANGED}"
        ) from error


def _check_is_vivas(database: Path) -> None:
    """Restore replaces a Viva database (or a damaged file, kept as a raw copy), never another
    program's SQLite database that `--db` happens to name."""
    try:
        conn = open_read_only(database)
        try:
            version = migrations.schema_version(conn)
            problem = (
                layout_problem(conn, version) if version <= migrations.LATEST_VERSION else None
            )
        finally:
            conn.close()
    except sqlite3.Error as error:
        _unless_damaged(database, error)
        return
    if problem is not None:
        raise DatabaseError(
            f"{database} is not a Viva database ({problem}); restore replaces only Viva's own "
            f"database. Choose another --db; {_UNCHANGED}"
        )


def _not_restored(database: Path, error: sqlite3.Error) -> DatabaseError:
    explained = explain_sqlite_error(database, error)
    return DatabaseError(f"{explained.message} Nothing was restored.", details=explained.details)


def _check_not_locked(database: Path) -> None:
    """Gives up, before the safety copy, when another program is writing to the database."""
    try:
        conn = connect(database)
        try:
            conn.execute("BEGIN IMMEDIATE")
            conn.execute("ROLLBACK")
        finally:
            conn.close()
    except sqlite3.Error as error:
        _unless_damaged(database, error)


def _unless_damaged(database: Path, error: sqlite3.Error) -> None:
    """Raises the refusal for `error`, unless it says the file is unusable: such a file is
    replaced whole."""
    if not is_damaged(error):
        raise _not_restored(database, error) from error


def _safety_copy(database: Path, backups_dir: Path) -> Path:
    """A copy of the database about to be replaced; a raw copy when it is not readable as a
    database (a damaged file is exactly what people restore over, and it is kept too)."""
    try:
        return backup_file(database, backups_dir, kind="before-restore")
    except DatabaseError:
        target = backups_dir / backup_name("before-restore-raw", datetime.now(UTC))
        partial = partial_path(target)
        try:
            make_private_folder(backups_dir)
            shutil.copyfile(database, partial)
            make_private(partial)
            partial.replace(target)
        except OSError as error:
            remove_database_file(partial)
            raise DatabaseError(
                f"Could not keep a copy of {database} before restoring: {error}; {_UNCHANGED}"
            ) from error
        return target


def _put_in_place(candidate: Path, database: Path) -> None:
    """A fresh copy of `candidate` becomes the database file (none yet, or an unusable one)."""
    source = open_read_only(candidate)
    try:
        copy_database(source, database, source_file=candidate, replaces=True)
    finally:
        source.close()


def _copy_into(candidate: Path, database: Path) -> None:
    """Replaces the database's content in one SQLite transaction (its WAL and the programs
    that have it open see the change); an unusable file is replaced whole instead."""
    source = open_read_only(candidate)
    try:
        target = connect(database)
        try:
            copy_pages(source, target, locked=database)
        finally:
            target.close()
    except sqlite3.Error as error:
        if not is_damaged(error):
            raise
        _put_in_place(candidate, database)
    finally:
        source.close()


def restore_backup(candidate: Path, database: Path, backups_dir: Path) -> Path | None:
    """Replaces `database` with the backup `candidate`, after backing up the current file.

    Returns the safety copy of the database it replaced (None when there was none).
    """
    check_backup(candidate)
    _check_target(candidate, database, backups_dir)
    try:
        if is_empty_or_missing(database):
            _put_in_place(candidate, database)
            return None
        _check_is_vivas(database)
        _check_not_locked(database)
        safety = _safety_copy(database, backups_dir)
        _copy_into(candidate, database)
    except (sqlite3.Error, OSError) as error:
        raise DatabaseError(
            f"Could not restore {candidate}: {error}; the database was not changed."
        ) from error
    return safety
