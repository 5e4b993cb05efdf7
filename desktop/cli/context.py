"""What every subcommand shares: the chosen database, JSON output, exit codes."""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from desktop.paths import UserPaths
from desktop.services.viva import Viva

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_USAGE = 2


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
        return cls(UserPaths.default(getattr(args, "db", None)))

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
