"""Writing export files safely: a temporary file in the target folder, then an atomic rename.

A reader never sees half a report, and a failure (folder not writable, disk full) leaves no
partial file behind and says what went wrong in words a person can act on.
"""

from __future__ import annotations

import contextlib
import os
import secrets
from collections.abc import Mapping
from pathlib import Path

from desktop.core.reports.service import ReportExportError


def prepare_folder(folder: Path) -> None:
    """Creates `folder` if needed; fails early, before a long render, when it cannot be."""
    existing = folder
    while not existing.exists() and existing != existing.parent:
        existing = existing.parent
    if not existing.is_dir():
        raise ReportExportError(f"Cannot write into {folder}: {existing} is a file, not a folder.")
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise ReportExportError(
            f"Cannot create the folder {folder}: {error.strerror or error}.", details=str(error)
        ) from error


def _write_temporary(target: Path, data: bytes) -> Path:
    partial = target.with_name(f".{target.name}.{secrets.token_hex(4)}.partial")
    # Created like any new file (0666 less the umask), not private as mkstemp would make it.
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
    handle = os.open(partial, flags, 0o666)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    return partial


def write_files(folder: Path, files: Mapping[str, bytes]) -> tuple[Path, ...]:
    """Writes every file into `folder` or, on any failure, none of them."""
    prepare_folder(folder)
    targets = [folder / name for name in files]
    for target in targets:
        if target.is_dir():
            raise ReportExportError(f"Cannot write {target}: a folder of that name is in the way.")
    partials: list[Path] = []
    try:
        for target, data in zip(targets, files.values(), strict=True):
            partials.append(_write_temporary(target, data))
        for partial, target in zip(partials, targets, strict=True):
            partial.replace(target)
    except OSError as error:
        for partial in partials:
            with contextlib.suppress(OSError):
                partial.unlink(missing_ok=True)
        raise ReportExportError(
            f"Cannot write the report into {folder}: {error.strerror or error}.",
            details=str(error),
        ) from error
    return tuple(targets)


def write_file(target: Path, data: bytes) -> Path:
    return write_files(target.parent, {target.name: data})[0]
