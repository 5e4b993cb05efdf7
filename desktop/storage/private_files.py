"""The learner's data is theirs alone: Viva's folders are readable by their owner only (0700)
and the database and its backups are 0600, as browsers and password managers keep their
profiles. Only what is Viva's is tightened: the data folder, the backups folder and the files
Viva writes, never a folder the learner chose for `--db`.

On systems without POSIX permissions (Windows) the user's profile folder already keeps other
users out, and these are no-ops.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

PRIVATE_FOLDER_MODE = 0o700
PRIVATE_FILE_MODE = 0o600
_POSIX = os.name == "posix"


def make_private_folder(folder: Path) -> None:
    """Creates `folder` (and its missing parents) and makes it readable by its owner only."""
    folder.mkdir(parents=True, exist_ok=True, mode=PRIVATE_FOLDER_MODE)
    if _POSIX and folder.stat().st_mode & 0o777 != PRIVATE_FOLDER_MODE:
        with contextlib.suppress(PermissionError):  # not ours: left as it is
            folder.chmod(PRIVATE_FOLDER_MODE)


def create_private_file(path: Path) -> None:
    """Creates `path` empty and private when there is nothing there yet, so that SQLite (which
    gives its -wal and -shm files the database's permissions) never makes it readable to
    others, not even for a moment."""
    with contextlib.suppress(FileExistsError):
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_FILE_MODE))


def make_private(*paths: Path) -> None:
    """Makes each existing regular file among `paths` readable by its owner only."""
    if not _POSIX:
        return
    for path in paths:
        with contextlib.suppress(OSError):
            if path.is_file() and path.stat().st_mode & 0o777 != PRIVATE_FILE_MODE:
                path.chmod(PRIVATE_FILE_MODE)
