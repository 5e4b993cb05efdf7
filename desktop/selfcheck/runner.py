"""Runs the checks in order in a temporary folder; a check that needs an earlier one's result
is reported as not run when that one failed.

Each check imports what it uses when it runs, so a module or library missing from an install
fails that check (saying which one) instead of the whole command.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from desktop.paths import UserPaths
from desktop.selfcheck.outcome import CheckOutcome, not_run, run_check

if TYPE_CHECKING:
    from desktop.core.bank.questions import Question
    from desktop.services.viva import Viva

CHECK_NAMES = ("modules", "window", "database", "bank", "model", "report")
OutcomeCallback = Callable[[CheckOutcome], None]


def run_selfcheck(
    paths: UserPaths,
    *,
    model: str | None = None,
    on_outcome: OutcomeCallback | None = None,
) -> list[CheckOutcome]:
    """Every check's outcome, in `CHECK_NAMES` order. `paths` is only read, to find the
    learner's models; the database and the report live in a temporary folder."""
    with tempfile.TemporaryDirectory(prefix="viva-selfcheck-") as folder:
        checks = _Checks(Path(folder), paths, model)
        outcomes: list[CheckOutcome] = []
        try:
            for name in CHECK_NAMES:
                missing = checks.missing_input(name)
                outcome = not_run(name, missing) if missing else run_check(name, checks.run(name))
                outcomes.append(outcome)
                if on_outcome is not None:
                    on_outcome(outcome)
        finally:
            checks.close()
        return outcomes


class _Checks:
    """The checks, and what earlier checks hand on to later ones."""

    def __init__(self, folder: Path, paths: UserPaths, model: str | None) -> None:
        self.folder = folder
        self.paths = paths
        self.model = model
        self.viva: Viva | None = None
        self.questions: list[Question] = []

    def run(self, name: str) -> Callable[[], str]:
        check: Callable[[], str] = getattr(self, f"check_{name}")
        return check

    def missing_input(self, name: str) -> str:
        """Why `name` cannot run, or "" when it can."""
        if name in ("bank", "model", "report") and self.viva is None:
            return "the database check failed"
        if name == "model" and not self.questions:
            return "the bank check failed, so there is no question to grade"
        return ""

    def check_modules(self) -> str:
        from desktop.selfcheck.modules import check_modules

        return check_modules()

    def check_window(self) -> str:
        from desktop.selfcheck.qt_window import check_window

        return check_window()

    def check_database(self) -> str:
        from desktop.selfcheck.storage_checks import open_database

        self.viva, message = open_database(self.folder)
        return message

    def check_bank(self) -> str:
        from desktop.selfcheck.storage_checks import import_builtin_bank

        assert self.viva is not None
        self.questions, message = import_builtin_bank(self.viva)
        return message

    def check_model(self) -> str:
        from desktop.selfcheck.model_check import choose_model, grade_one_answer, question_to_grade

        chosen = choose_model(self.model, self.paths)
        return grade_one_answer(chosen, question_to_grade(self.questions), self.paths)

    def check_report(self) -> str:
        from desktop.selfcheck.report_check import render_report

        assert self.viva is not None
        return render_report(self.viva, self.folder)

    def close(self) -> None:
        if self.viva is not None:
            self.viva.close()
            self.viva = None
