"""The bank as an Anki package, for the command line and the bank screen."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from desktop.core.bank.questions import Question
from desktop.core.errors import VivaError
from desktop.importers.anki.export import write_anki_package


def export_anki_package(questions: Sequence[Question], out: Path) -> int:
    """Writes `questions` to `out`; returns the number of notes. Raises `VivaError` when there
    is nothing to export or the file cannot be written."""
    if not questions:
        raise VivaError("There are no questions to export.")
    try:
        return write_anki_package(questions, out)
    except OSError as error:
        raise VivaError(f"{out} could not be written: {error.strerror or error}") from None
