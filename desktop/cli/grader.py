"""The grader the command line uses: the same `ModelManager` as the app (one factory, one
calibration and cache key), the model chosen with `models use` unless `--model` names another,
measured on the held-in cases the first time a model file is used (then kept in the database)."""

from __future__ import annotations

import sys
from dataclasses import replace
from typing import TYPE_CHECKING

from desktop.cli.context import CliContext
from desktop.core.errors import ModelError
from desktop.core.grading.grades import Grader

if TYPE_CHECKING:
    from desktop.grading import ModelManager


def model_manager(context: CliContext) -> ModelManager:
    """The app's model manager on this command's database."""
    return context.viva.model_manager()


def open_grader(
    context: CliContext,
    *,
    model: str | None = None,
    threads: int | None = None,
    calibrate: bool = True,
) -> Grader:
    # Grading modules load only when an answer is graded: every other command starts faster.
    from desktop.grading import GradingEngine

    manager = model_manager(context)
    options = manager.options()
    if model:
        options = replace(options, model=model.strip())
    if threads:
        options = replace(options, n_threads=threads)
    if options.is_none:
        return GradingEngine(None)
    state = manager.load(options)
    grader = manager.grader()
    if state.problem or grader is None:
        raise ModelError(state.problem or f"The model {options.model!r} could not be loaded.")
    if calibrate:

        def progress(done: int, total: int) -> None:
            if done < total:
                print(f"\rmeasuring the model's reliability: {done}/{total}", end="",
                      file=sys.stderr)  # fmt: skip

        try:
            result = manager.check_reliability(progress=progress)
        except ModelError:
            manager.close()
            raise
        print(f"\r{result.sentence}", file=sys.stderr)
    return grader
