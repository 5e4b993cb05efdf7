"""Files no output may be written over: the database, the files SQLite keeps beside it, its
backups, and whatever the command producing the output is reading.

Every command and screen that writes a file (a report, an Anki package, a backup, graded
answers) asks `ProtectedFiles.check_output` first, before any work is done, so a mistyped path
is a message and not a lost question bank. Paths are compared after following links, and an
existing file is also compared by identity, so a link or a second name for the database is
refused too.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path

from desktop.core.errors import VivaError

# The files SQLite keeps beside a database while it is open or was stopped mid-write.
SQLITE_COMPANION_SUFFIXES = ("-journal", "-wal", "-shm")


class OutputTargetError(VivaError):
    """An output would be written over a file the app must not lose."""


def _resolved(path: Path) -> Path:
    try:
        return path.expanduser().resolve()
    except (OSError, RuntimeError):  # RuntimeError: a symlink loop (Python 3.11)
        return path.expanduser().absolute()


def _same_file(first: Path, second: Path) -> bool:
    try:
        return os.path.samefile(first, second)
    except OSError:
        return False


@dataclass(frozen=True)
class ProtectedFiles:
    database: Path
    backups_dir: Path
    reading: tuple[Path, ...] = field(default=())

    def reading_also(self, paths: Iterable[Path]) -> ProtectedFiles:
        """The same, and `paths` (a command's input files) as well."""
        return replace(self, reading=(*self.reading, *paths))

    def _named(self) -> list[tuple[Path, str]]:
        database = _resolved(self.database)
        named = [(database, "the database itself")]
        named += [
            (database.with_name(database.name + suffix), f"the database's {suffix} file")
            for suffix in SQLITE_COMPANION_SUFFIXES
        ]
        named += [(_resolved(path), "a file this command is reading") for path in self.reading]
        return named

    def problem(self, target: Path, *, backup: bool = False) -> str | None:
        """Why `target` must not be written, or None. A `backup` goes into the backups
        folder; nothing else may."""
        resolved = _resolved(target)
        for protected, what in self._named():
            if resolved == protected or _same_file(resolved, protected):
                return f"{target} is {what} ({protected})"
        backups = _resolved(self.backups_dir)
        if not backup and (resolved.parent == backups or backups in resolved.parents):
            return f"{target} is in the backups folder ({backups})"
        return None

    def check_output(
        self, target: Path, *, writing: str = "the output", backup: bool = False
    ) -> None:
        """Raises `OutputTargetError` when `target` is a file the app must not lose."""
        problem = self.problem(target, backup=backup)
        if problem is not None:
            raise OutputTargetError(
                f"Not writing {writing} there: {problem}. Choose another file name; "
                "nothing was written."
            )
