"""What every subcommand shares: the chosen database, JSON output, exit codes."""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from desktop.paths import UserPaths
from desktop.storage.database import Database

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
    _database: Database | None = field(default=None, repr=False)

    @classmethod
    def from_args(cls, args: argparse.Namespace) -> CliContext:
        return cls(UserPaths.default(getattr(args, "db", None)))

    @property
    def database(self) -> Database:
        """The database, opened (and migrated) on first use."""
        if self._database is None:
            self._database = Database.open(self.paths.database, backups_dir=self.paths.backups_dir)
        return self._database

    def close(self) -> None:
        if self._database is not None:
            self._database.close()
            self._database = None


def print_json(value: Any) -> None:
    json.dump(value, sys.stdout, ensure_ascii=False, indent=2, default=str)
    sys.stdout.write("\n")
