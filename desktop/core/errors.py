"""Errors the app reports to people: each carries a message a learner can act on."""

from __future__ import annotations


class Cancelled(Exception):
    """Work stopped because its cancel event was set: neither a result nor a failure. The one
    cancellation type, from a model backend through the grader to a background task."""


class VivaError(Exception):
    """Base class for errors with a message meant for the user, not a traceback."""

    def __init__(self, message: str, *, details: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.details = details

    def __str__(self) -> str:
        return self.message


class NotesFormatError(VivaError):
    """A notes file cannot be imported (binary, not UTF-8, empty, too large, truncated block)."""

    def __init__(self, path: str, problem: str, *, line: int | None = None) -> None:
        where = f"{path}:{line}" if line is not None else path
        super().__init__(f"{where}: {problem}")
        self.path = path
        self.line = line
        self.problem = problem


class DatabaseError(VivaError):
    """The database cannot be opened, migrated or written (locked, damaged, too new)."""


class DatabaseTooNewError(DatabaseError):
    """The database was written by a newer version of the app."""


class ModelError(VivaError):
    """A model file cannot be used (missing, truncated, not GGUF, too large for memory)."""


class NotFoundError(VivaError):
    """A requested record (question, review) does not exist."""
