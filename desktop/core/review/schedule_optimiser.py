"""Fitting the FSRS parameters to the learner's own reviews (optional: needs `fsrs[optimizer]`).

The optimiser ships with `fsrs` but needs torch, which the app does not install by default
(`pip install "viva[optimizer]"` adds it). Without it, or with too few reviews to learn from,
the default parameters stay and the learner is told why; scheduling works the same either way.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from desktop.core.errors import VivaError
from desktop.core.review.review_store import RatingHistoryEntry
from desktop.core.review.schedule_settings import FSRS_PARAMETER_COUNT, ScheduleSettings
from desktop.core.review.scheduler import rating_log

# py-fsrs trains in mini-batches of 512 reviews and returns its defaults below that.
MIN_REVIEWS = 512

OptimizerFactory = Callable[[list[Any]], Any]


class OptimiserUnavailable(VivaError):
    """The optional optimiser (torch) is not installed."""


class NotEnoughReviews(VivaError):
    """Too few reviews to fit parameters that beat the defaults."""


def _fsrs_optimizer(logs: list[Any]) -> Any:
    from fsrs.optimizer import Optimizer

    try:
        return Optimizer(logs)
    except ImportError:
        raise OptimiserUnavailable(
            'Optimising the schedule needs the optional optimiser: pip install "viva[optimizer]" '
            "(it brings torch, about 1 GB). Scheduling works without it, with FSRS's defaults."
        ) from None


def optimise_parameters(
    history: Sequence[RatingHistoryEntry],
    *,
    min_reviews: int = MIN_REVIEWS,
    optimizer_factory: OptimizerFactory = _fsrs_optimizer,
) -> tuple[float, ...]:
    """FSRS parameters fitted to `history` (counted reviews, any order)."""
    if len(history) < min_reviews:
        raise NotEnoughReviews(
            f"Optimising needs at least {min_reviews} reviews; there are {len(history)} so far. "
            "The default parameters stay until then."
        )
    logs = [rating_log(e.question_id, e.rating, e.reviewed_at, e.duration_ms) for e in history]
    parameters = tuple(float(p) for p in optimizer_factory(logs).compute_optimal_parameters())
    if len(parameters) != FSRS_PARAMETER_COUNT:
        raise VivaError(f"The optimiser returned {len(parameters)} parameters, not 21.")
    return parameters


def optimised_settings(
    settings: ScheduleSettings,
    history: Sequence[RatingHistoryEntry],
    *,
    optimizer_factory: OptimizerFactory = _fsrs_optimizer,
) -> ScheduleSettings:
    """`settings` with parameters fitted to `history` (raises when that cannot be done)."""
    parameters = optimise_parameters(history, optimizer_factory=optimizer_factory)
    return settings.with_changes(parameters=parameters)
