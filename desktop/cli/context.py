"""What every subcommand shares: the chosen database, JSON output, exit codes."""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from desktop.core.errors import DatabaseError
from desktop.paths import UserPaths
from desktop.services.viva import Viva

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_USAGE = 2
# As a shell reports a command stopped by a signal: 128 + SIGINT, 128 + SIGPIPE.
EXIT_INTERRUPTED = 130
EXIT_BROKEN_PIPE = 141


def add_common_options(parser: argparse.ArgumentParser) -> None:
    """`--db` is accepted before or after the subcommand."""
    parser.add_argument(
        "--db",
        type=Path,
        default=argparse.SUPPRESS,
        help="database file (default: viva.sqlite3 in the user data folder)",
    )


def add_json_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--json", action="store_true", help="machine-readable output")


@dataclass
class CliContext:
    paths: UserPaths
    _viva: Viva | None = field(default=None, repr=False)

    @classmethod
    def from_args(cls, args: argparse.Namespace) -> CliContext:
        database: Path | None = getattr(args, "db", None)
        try:
            return cls(UserPaths.default(database))
        except (OSError, RuntimeError) as error:  # RuntimeError: a symlink loop (Python 3.11)
            raise DatabaseError(
                f"The database path {database} cannot be used ({error}). Give --db a file path."
            ) from error

    @property
    def viva(self) -> Viva:
        """The app's services (`desktop.services.viva`), the database opened and migrated on
        first use."""
        if self._viva is None:
            self._viva = Viva.open(self.paths)
        return self._viva

    def close(self) -> None:
        if self._viva is not None:
            self._viva.close()
            self._viva = None


def print_json(value: Any) -> None:
    json.dump(value, sys.stdout, ensure_ascii=False, indent=2, default=str)
    sys.stdout.write("\n")
