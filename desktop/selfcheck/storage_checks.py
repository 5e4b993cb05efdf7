"""The database opens and migrates in a fresh folder, and the built-in bank imports into it."""

from __future__ import annotations

import sqlite3
from collections import Counter
from pathlib import Path

from desktop.core.bank.questions import Question
from desktop.paths import UserPaths, builtin_bank_files
from desktop.selfcheck.outcome import CheckFailed
from desktop.services.notes_import import ensure_builtin_bank, parse_files
from desktop.services.viva import Viva
from desktop.storage import migrations


def open_database(folder: Path) -> tuple[Viva, str]:
    """The app's services over a new database in `folder` (the learner's data is not touched)."""
    viva = Viva.open(UserPaths(folder))
    path = viva.paths.database
    with sqlite3.connect(path) as conn:
        version = migrations.schema_version(conn)
        journal = str(conn.execute("PRAGMA journal_mode").fetchone()[0])
    if version != migrations.LATEST_VERSION:
        viva.close()
        raise CheckFailed(
            f"the new database is at schema version {version}, expected "
            f"{migrations.LATEST_VERSION} after migrating"
        )
    return viva, f"a new database migrated to schema version {version} ({journal} journal)"


def import_builtin_bank(viva: Viva) -> tuple[list[Question], str]:
    """Imports the built-in bank and checks the bank holds exactly what its files contain."""
    files = builtin_bank_files()
    if not files:
        raise CheckFailed("the built-in bank is missing: no resources/bank/*.md in the install")
    expected = Counter(
        question.kind.value for notes in parse_files(files) for question in notes.questions
    )
    summary = ensure_builtin_bank(viva.database)
    if summary is None:
        raise CheckFailed("the built-in bank was not imported into the new database")
    questions = viva.bank.questions()
    stored = Counter(question.kind.value for question in questions)
    if stored != expected or summary.added != sum(expected.values()):
        raise CheckFailed(
            f"the built-in bank's files hold {_counts(expected)} but the import added "
            f"{summary.added} and the bank holds {_counts(stored)}"
        )
    if not questions:
        raise CheckFailed("the built-in bank's files hold no questions")
    return questions, (
        f"{len(questions)} questions from {len(files)} built-in file(s) ({_counts(stored)})"
    )


def _counts(counts: Counter[str]) -> str:
    return ", ".join(f"{kind} {count}" for kind, count in sorted(counts.items())) or "none"
