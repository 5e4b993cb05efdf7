"""The bank as an Anki package, for the command line and the bank screen."""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from pathlib import Path

from desktop.core.bank.questions import Question
from desktop.core.errors import VivaError
from desktop.core.output_targets import ProtectedFiles
from desktop.importers.anki.export import QuestionSchedule, write_anki_package
from desktop.importers.anki.package import disk_full
from desktop.storage.cards import CardRepository
from desktop.storage.database import Database
from desktop.storage.reviews import ReviewRepository


def export_anki_package(
    questions: Sequence[Question],
    out: Path,
    *,
    protected: ProtectedFiles,
    database: Database | None = None,
) -> int:
    """Writes `questions` to `out`; with `database`, each question's card and review history
    too. Returns the number of notes. Raises `VivaError` when there is nothing to export, `out`
    is one of the `protected` files (the database, its backups), or the file cannot be
    written."""
    if not questions:
        raise VivaError("There are no questions to export.")
    protected.check_output(out, writing="the Anki package")
    schedules = None
    if database is not None:
        cards, reviews = CardRepository(database), ReviewRepository(database)
        schedules = {
            q.id: QuestionSchedule(
                cards.card(q.id),
                tuple(r.review for r in reviews.reviews_of(q.id) if r.review.counted),
            )
            for q in questions
        }
    try:
        return write_anki_package(questions, out, schedules)
    except (OSError, sqlite3.Error) as error:
        raise VivaError(f"{out} could not be written: {_problem(error, out)}") from None


def _problem(error: OSError | sqlite3.Error, out: Path) -> str:
    """What went wrong writing `out` (whose folder also holds the export's working files)."""
    if disk_full(error):
        folder = out.expanduser().absolute().parent
        return f"the folder {folder} is full; free some space there and export again"
    if isinstance(error, OSError):
        return error.strerror or str(error)
    return f"the package's collection could not be written ({error})"
