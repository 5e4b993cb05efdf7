"""Opening a model path safely: only a regular file is ever opened, so a named pipe, a device or
a socket called `x.gguf` cannot block the app, and a symbolic link that leads back to itself
gets a message instead of a traceback.

The path is checked with `stat` first, then opened without blocking (`O_NONBLOCK`: opening a
FIFO that was put in its place meanwhile returns at once) and checked again on the open handle.
"""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

from desktop.core.errors import ModelError

_OPEN_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
_KINDS = (
    (stat.S_ISFIFO, "a named pipe (FIFO)"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)


def _kind_problem(path: Path, mode: int) -> str:
    """Why a path of this file mode cannot be a model; "" for a regular file."""
    if stat.S_ISREG(mode):
        return ""
    if stat.S_ISDIR(mode):
        return f"{path} is a folder, not a GGUF model file."
    kind = next((name for test, name in _KINDS if test(mode)), "not a regular file")
    return f"{path} is {kind}, not a model file: a model must be a GGUF file on disk."


def _os_problem(path: Path, error: OSError) -> str:
    if error.errno == errno.ELOOP:
        return (
            f"{path} is a symbolic link that leads back to itself (a symlink loop): point it "
            "at a GGUF file."
        )
    if error.errno in (errno.ENOENT, errno.ENOTDIR):
        return f"The model file {path} does not exist."
    return f"The model file {path} cannot be read: {error.strerror}."


def regular_file_size(path: Path) -> int:
    """The size of the regular file at `path`; `ModelError` saying what it is otherwise."""
    try:
        mode_and_size = os.stat(path)
    except OSError as error:
        raise ModelError(_os_problem(path, error)) from None
    problem = _kind_problem(path, mode_and_size.st_mode)
    if problem:
        raise ModelError(problem)
    return mode_and_size.st_size


@contextmanager
def open_regular_file(path: Path) -> Iterator[tuple[BinaryIO, int]]:
    """The open model file and its size. Never blocks: anything but a regular file (a FIFO, a
    device, a socket, a folder, a symlink loop) raises `ModelError` before or right after the
    open."""
    regular_file_size(path)
    try:
        descriptor = os.open(path, _OPEN_FLAGS)
    except OSError as error:
        raise ModelError(_os_problem(path, error)) from None
    with os.fdopen(descriptor, "rb") as handle:
        opened = os.fstat(descriptor)
        problem = _kind_problem(path, opened.st_mode)
        if problem:
            raise ModelError(problem)
        yield handle, opened.st_size


def same_place(path: Path) -> Path:
    """The path with its links followed, to tell two names of one file apart; a path that cannot
    be followed (a symlink loop) stands for itself."""
    try:
        return path.expanduser().resolve()
    except (OSError, RuntimeError):  # Python 3.11 raises RuntimeError for a symlink loop
        return path.expanduser().absolute()
