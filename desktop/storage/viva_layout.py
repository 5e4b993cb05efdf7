"""Whether a SQLite database is a Viva one: the tables and columns its schema version's
migrations create are all there.

The layout a version should have is read from a scratch in-memory database those migrations
were applied to, so it never drifts from the migrations themselves.
"""

from __future__ import annotations

import sqlite3
from functools import lru_cache

from desktop.storage import migrations

Layout = dict[str, frozenset[str]]


def _names(conn: sqlite3.Connection, types: tuple[str, ...]) -> list[str]:
    """The schema's objects of these types, SQLite's own left out."""
    marks = ", ".join("?" * len(types))
    rows = conn.execute(
        f"SELECT name FROM sqlite_master WHERE type IN ({marks}) "
        "AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name",
        types,
    ).fetchall()
    return [str(row[0]) for row in rows]


def layout_of(conn: sqlite3.Connection) -> Layout:
    """Each table of the database (SQLite's own left out) with its column names."""
    return {
        table: frozenset(
            str(row[1]) for row in conn.execute("SELECT * FROM pragma_table_info(?)", (table,))
        )
        for table in _names(conn, ("table",))
    }


@lru_cache(maxsize=8)
def _layout_after(applied: tuple[migrations.Migration, ...]) -> Layout:
    scratch = sqlite3.connect(":memory:", isolation_level=None)
    try:
        for migration in applied:
            migrations.apply_migration(scratch, migration)
        return layout_of(scratch)
    finally:
        scratch.close()


def expected_layout(version: int) -> Layout:
    """The tables and columns a Viva database at schema `version` has."""
    return _layout_after(tuple(m for m in migrations.MIGRATIONS if m.version <= version))


def layout_problem(conn: sqlite3.Connection, version: int) -> str | None:
    """What shows that the database behind `conn`, at schema `version`, is not a Viva one
    (None: it is one, or it is still empty at version 0). Tables and columns beyond the
    expected ones are allowed."""
    if version == 0:
        found = _names(conn, ("table", "view", "index", "trigger"))
        if not found:
            return None
        shown = ", ".join(found[:5]) + (", …" if len(found) > 5 else "")
        return f"it holds other data ({shown}) and no Viva schema version"
    actual = layout_of(conn)
    for table, columns in sorted(expected_layout(version).items()):
        if table not in actual:
            return f"it has no `{table}` table"
        missing = sorted(columns - actual[table])
        if missing:
            return f"its `{table}` table has no column {', '.join(missing)}"
    return None
