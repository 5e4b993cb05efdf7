"""Rows of a SQLite file read directly: every row, for tests that check a refused change left
it exactly as it was, and the count of questions."""

from __future__ import annotations

import sqlite3
from pathlib import Path


def every_row(path: Path) -> list[tuple[object, ...]]:
    """Each row of each table, tables by name and rows by their first column."""
    conn = sqlite3.connect(path)
    try:
        tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        return [
            (table, *row)
            for table in sorted(tables)
            for row in conn.execute(f"SELECT * FROM {table} ORDER BY 1")
        ]
    finally:
        conn.close()


def questions_in(path: Path) -> int:
    conn = sqlite3.connect(path)
    try:
        return int(conn.execute("SELECT count(*) FROM questions").fetchone()[0])
    finally:
        conn.close()
