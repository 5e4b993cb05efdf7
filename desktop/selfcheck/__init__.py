"""Checks that an install of the app works: `python -m desktop selfcheck` (or `viva selfcheck`
in a bundle) runs them in a temporary folder, one line per check, without touching the
learner's own data."""

from __future__ import annotations

from desktop.selfcheck.outcome import CheckFailed, CheckOutcome
from desktop.selfcheck.runner import CHECK_NAMES, run_selfcheck

__all__ = ["CHECK_NAMES", "CheckFailed", "CheckOutcome", "run_selfcheck"]
