"""What one check found, and running a check so that any failure becomes an outcome."""

from __future__ import annotations

import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from desktop.core.errors import VivaError


class CheckFailed(Exception):
    """A check's own account of what went wrong, in words a person can act on."""

    def __init__(self, message: str, *, details: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.details = details


class CheckWarning(CheckFailed):
    """Nothing is broken, but something the learner will want is missing (a model): the check
    passes with a warning that says what to do."""


@dataclass(frozen=True)
class CheckOutcome:
    name: str
    passed: bool
    message: str
    seconds: float
    details: str = ""
    warning: bool = False

    def as_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "passed": self.passed,
            "warning": self.warning,
            "message": self.message,
            "seconds": round(self.seconds, 3),
            "details": self.details,
        }


def run_check(name: str, check: Callable[[], str]) -> CheckOutcome:
    """Runs `check` (which returns what it verified) and never raises: an unexpected exception
    is reported with its traceback, so a broken install says where it broke."""
    started = time.monotonic()
    try:
        message = check()
    except CheckWarning as warning:
        seconds = time.monotonic() - started
        return CheckOutcome(name, True, warning.message, seconds, warning.details, warning=True)
    except CheckFailed as failure:
        return CheckOutcome(
            name, False, failure.message, time.monotonic() - started, failure.details
        )
    except VivaError as error:
        return CheckOutcome(name, False, error.message, time.monotonic() - started, error.details)
    except Exception as error:  # a selfcheck reports everything, it never crashes
        return CheckOutcome(
            name,
            False,
            f"{type(error).__name__}: {error}",
            time.monotonic() - started,
            traceback.format_exc(),
        )
    return CheckOutcome(name, True, message, time.monotonic() - started)


def not_run(name: str, because: str) -> CheckOutcome:
    """A check that could not run because one it depends on failed: counted as failed."""
    return CheckOutcome(name, False, f"not run: {because}", 0.0)
