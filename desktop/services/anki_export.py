"""The bank as an Anki package, for the command line and the bank screen."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from desktop.core.bank.questions import Question
from desktop.core.errors import VivaError
from desktop.importers.anki.export import QuestionSchedule, write_anki_package
from desktop.storage.cards import CardRepository
from desktop.storage.database import Database
from desktop.storage.reviews import ReviewRepository


def export_anki_package(
    questions: Sequence[Question], out: Path, *, database: Database | None = None
) -> int:
    """Writes `questions` to `out`; with `database`, each question's card and review history
    too. Returns the number of notes. Raises `VivaError` when there is nothing to export or the
    file cannot be written."""
    if not questions:
        raise VivaError("There are no questions to export.")
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
    except OSError as error:
        raise VivaError(f"{out} could not be written: {error.strerror or error}") from None
