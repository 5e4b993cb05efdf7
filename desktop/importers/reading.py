"""Reading a notes file safely: size limit first, then binary, encoding and emptiness checks;
a symbolic link that loops is refused as such.

Each refusal is a `NotesFormatError` naming the file (and the line, for an encoding error), so
the command line and the app can show it as it is.
"""

from __future__ import annotations

import errno
import hashlib
import stat
from dataclasses import dataclass
from pathlib import Path

from desktop.core.errors import NotesFormatError

MAX_NOTES_BYTES = 20 * 1024 * 1024
_SNIFF_BYTES = 64 * 1024
_BINARY_CONTROLS = bytes(b for b in range(0x20) if b not in (0x09, 0x0A, 0x0C, 0x0D, 0x1B))
_MAGIC = {
    b"%PDF": "a PDF document",
    b"PK\x03\x04": "a ZIP archive (a .docx, .odt or .zip file?)",
    b"\x89PNG": "a PNG image",
    b"\xff\xd8\xff": "a JPEG image",
    b"GIF8": "a GIF image",
    b"SQLite format 3\x00": "a SQLite database",
    b"\x7fELF": "a program",
    b"\xd0\xcf\x11\xe0": "an old Office document",
}


@dataclass(frozen=True)
class NotesText:
    text: str
    content_hash: str  # sha256 of the file's bytes


def _size_label(size: int) -> str:
    return f"{size / (1024 * 1024):.0f} MB" if size >= 1024 * 1024 else f"{size} bytes"


_SYMLINK_LOOP = "is a symbolic link that loops (it leads back to itself): point it at a file"


def _unreadable(shown: str, error: OSError) -> NotesFormatError:
    if error.errno == errno.ELOOP:
        return NotesFormatError(shown, _SYMLINK_LOOP)
    return NotesFormatError(shown, f"cannot be read ({error.strerror or error})")


def resolve_notes_path(path: Path) -> Path:
    """The file's absolute path with every link followed (a missing file resolves too, and
    is refused when read); a `NotesFormatError` for a symbolic link that loops."""
    try:
        return path.expanduser().resolve()
    except RuntimeError:  # Python 3.11 reports a symbolic link loop so
        raise NotesFormatError(str(path), _SYMLINK_LOOP) from None
    except OSError as error:
        raise _unreadable(str(path), error) from None


def _read_bytes(path: Path, max_bytes: int) -> bytes:
    shown = str(path)
    try:
        info = path.stat()
    except FileNotFoundError:
        raise NotesFormatError(shown, "no such file") from None
    except OSError as error:
        raise _unreadable(shown, error) from None
    if stat.S_ISDIR(info.st_mode):
        raise NotesFormatError(shown, "is a folder, not a notes file")
    if not stat.S_ISREG(info.st_mode):
        raise NotesFormatError(shown, "is not a regular file")
    if info.st_size > max_bytes:
        raise NotesFormatError(
            shown,
            f"is too large ({_size_label(info.st_size)}; notes files are limited to "
            f"{_size_label(max_bytes)}). Split it into smaller files.",
        )
    try:
        with path.open("rb") as handle:
            data = handle.read(max_bytes + 1)
    except OSError as error:
        raise _unreadable(shown, error) from None
    if len(data) > max_bytes:  # grew since stat, or stat did not tell
        raise NotesFormatError(shown, f"is too large (over {_size_label(max_bytes)})")
    return data


def _check_not_binary(shown: str, data: bytes) -> None:
    for magic, what in _MAGIC.items():
        if data.startswith(magic):
            raise NotesFormatError(shown, f"is {what}, not a Markdown notes file")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise NotesFormatError(shown, "is UTF-16 text; save it as UTF-8 and import it again")
    if b"\x00" in data:
        raise NotesFormatError(shown, "is a binary file (it contains NUL bytes), not Markdown text")
    sample = data[:_SNIFF_BYTES]
    controls = len(sample) - len(sample.translate(None, _BINARY_CONTROLS))
    if sample and controls / len(sample) > 0.01:
        raise NotesFormatError(shown, "is a binary file (control characters), not Markdown text")


def _decode(shown: str, data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        raise NotesFormatError(
            shown,
            f"is not UTF-8 text (byte 0x{data[error.start]:02x} cannot be decoded); "
            "save it as UTF-8 and import it again",
            line=line,
        ) from None


def read_notes(path: Path, *, max_bytes: int = MAX_NOTES_BYTES) -> NotesText:
    """The file's text, or a `NotesFormatError` saying why it cannot be imported."""
    shown = str(path)
    data = _read_bytes(path, max_bytes)
    if not data.strip():
        raise NotesFormatError(shown, "is empty")
    _check_not_binary(shown, data)
    text = _decode(shown, data)
    if not text.strip():
        raise NotesFormatError(shown, "is empty")
    return NotesText(text, hashlib.sha256(data).hexdigest())
