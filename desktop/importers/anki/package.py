"""Reading an Anki package with the standard library: the ZIP, its collection (the current
`collection.anki21b`, zstd-compressed, or the legacy `collection.anki21` / `collection.anki2`),
and from the collection's SQLite its note types, decks, notes and cards.

A package is refused with a `NotesFormatError` naming it when it is not a regular file (a named
pipe or a device is never opened, so it cannot block), is not a ZIP, is damaged or cut short,
holds no collection, or comes from a format newer than this reader knows (its `meta` says so).
The collection is read from a copy in the temporary folder; when that folder is full, the
message says so and names it.
"""

from __future__ import annotations

import errno
import io
import json
import os
import re
import sqlite3
import stat
import tempfile
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import BinaryIO, Protocol

import zstandard

from desktop.core.errors import NotesFormatError

# The package versions of `meta` (Anki's PackageMetadata): 1 and 2 legacy, 3 the current one.
KNOWN_PACKAGE_VERSION = 3
MAX_COLLECTION_BYTES = 2 * 1024**3
_COLLECTIONS = ("collection.anki21b", "collection.anki21", "collection.anki2")
FIELD_SEPARATOR = "\x1f"


@dataclass(frozen=True)
class NoteType:
    name: str
    cloze: bool
    fields: tuple[str, ...]
    front_templates: tuple[str, ...]


@dataclass(frozen=True)
class AnkiNote:
    id: int
    guid: str
    note_type: NoteType
    fields: tuple[str, ...]
    tags: tuple[str, ...]
    deck: tuple[str, ...]  # the deck path of its first card, e.g. ("Interview", "ML")


@dataclass(frozen=True)
class AnkiReview:
    """One answer from Anki's review log: when, the button (1-4) and how long it took."""

    card_ord: int
    at_ms: int
    ease: int
    duration_ms: int


@dataclass(frozen=True)
class AnkiCollection:
    notes: tuple[AnkiNote, ...]
    reviews: dict[int, tuple[AnkiReview, ...]]  # by note id, oldest first
    due: dict[tuple[int, int], datetime]  # (note id, card ord) -> when Anki has it due


def _card_due(card_type: int, queue: int, due: int, created: int) -> datetime | None:
    """When Anki has a card due: a day number counted from the collection's creation for
    review cards (and day-learning ones), a Unix time for cards in (re)learning."""
    if card_type == 2 or queue == 3:
        return datetime.fromtimestamp(created + due * 86_400, UTC)
    if card_type in (1, 3):
        return datetime.fromtimestamp(due, UTC)
    return None


def _varint(data: bytes, at: int) -> tuple[int, int]:
    value = shift = 0
    while at < len(data):
        byte = data[at]
        at += 1
        value |= (byte & 0x7F) << shift
        if not byte & 0x80:
            return value, at
        shift += 7
    raise ValueError("truncated varint")


def _protobuf_fields(data: bytes) -> Iterator[tuple[int, int, int | bytes]]:
    """(field number, wire type, value) of a protobuf message, without its schema."""
    at = 0
    while at < len(data):
        key, at = _varint(data, at)
        number, wire = key >> 3, key & 7
        if wire == 0:
            value, at = _varint(data, at)
            yield number, wire, value
        elif wire == 2:
            length, at = _varint(data, at)
            yield number, wire, data[at : at + length]
            at += length
        elif wire == 1:
            yield number, wire, data[at : at + 8]
            at += 8
        elif wire == 5:
            yield number, wire, data[at : at + 4]
            at += 4
        else:
            raise ValueError(f"unknown protobuf wire type {wire}")


def _package_version(meta: bytes) -> int:
    for number, wire, value in _protobuf_fields(meta):
        if number == 1 and wire == 0 and isinstance(value, int):
            return value
    return 0


def _refuse(path: Path, problem: str) -> NotesFormatError:
    return NotesFormatError(str(path), problem)


_OPEN_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
_FULL = (errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC))
_SQLITE_HEADER = b"SQLite format 3\x00"


def _kind_problem(mode: int) -> str:
    """Why a file of this mode cannot be a package; "" for a regular file."""
    if stat.S_ISREG(mode):
        return ""
    if stat.S_ISDIR(mode):
        return "is a folder, not an Anki package"
    return "is not a regular file (a named pipe, a device or a socket), not an Anki package"


@contextmanager
def open_package(path: Path) -> Iterator[io.BufferedReader]:
    """The package file, open for reading. Anything but a regular file is refused before it is
    opened (and, should one take its place meanwhile, right after a non-blocking open)."""
    try:
        problem = _kind_problem(os.stat(path).st_mode)
    except FileNotFoundError:
        raise _refuse(path, "no such file") from None
    except OSError as error:
        raise _refuse(path, f"cannot be read ({error.strerror or error})") from None
    if problem:
        raise _refuse(path, problem)
    try:
        descriptor = os.open(path, _OPEN_FLAGS)
    except OSError as error:
        raise _refuse(path, f"cannot be read ({error.strerror or error})") from None
    with os.fdopen(descriptor, "rb") as handle:
        problem = _kind_problem(os.fstat(descriptor).st_mode)
        if problem:
            raise _refuse(path, problem)
        yield handle


def disk_full(error: OSError | sqlite3.Error) -> bool:
    """Whether `error` says the disk (or the user's quota) is full; SQLite says it in words."""
    if isinstance(error, OSError):
        return error.errno in _FULL
    return "disk is full" in str(error)


def _temp_folder_problem(error: OSError | sqlite3.Error) -> str:
    folder = tempfile.gettempdir()
    if disk_full(error):
        return (
            f"cannot be read: the temporary folder {folder} is full; free some space there "
            "(or set TMPDIR to another folder) and import again"
        )
    reason = error.strerror if isinstance(error, OSError) and error.strerror else str(error)
    return f"cannot be read: the temporary folder {folder} cannot hold its collection ({reason})"


def _cut_short(copy: Path) -> bool:
    """Whether the SQLite file `copy` is shorter than its header says (a collection cut short)."""
    with copy.open("rb") as handle:
        header = handle.read(100)
    if not header.startswith(_SQLITE_HEADER):
        return not header  # no SQLite file at all: SQLite itself says so
    if len(header) < 100:
        return True
    page_size = int.from_bytes(header[16:18], "big")
    page_size = 65_536 if page_size == 1 else page_size
    pages = int.from_bytes(header[28:32], "big")
    valid = pages > 0 and header[24:28] == header[92:96]  # the count is kept up to date
    return valid and copy.stat().st_size < pages * page_size


@contextmanager
def open_collection(path: Path) -> Iterator[sqlite3.Connection]:
    """The package's collection as a read-only SQLite connection (on a temporary copy)."""
    with open_package(path) as handle:
        try:
            archive = zipfile.ZipFile(handle)
        except (zipfile.BadZipFile, OSError) as error:
            raise _refuse(path, f"is not an Anki package (not a readable ZIP: {error})") from None
        with archive, _temporary_folder(path) as folder:
            target = _copy_collection(path, archive, folder)
            connection = sqlite3.connect(f"file:{target}?mode=ro", uri=True)
            try:
                connection.execute("PRAGMA temp_store = MEMORY")  # sorts stay out of the folder
                connection.execute("SELECT count(*) FROM notes").fetchone()
                yield connection
            except sqlite3.DatabaseError as error:
                if disk_full(error):
                    raise _refuse(path, _temp_folder_problem(error)) from None
                raise _refuse(
                    path, f"is damaged: its collection is not a database ({error})"
                ) from None
            finally:
                connection.close()


@contextmanager
def _temporary_folder(path: Path) -> Iterator[Path]:
    try:
        folder = tempfile.TemporaryDirectory(prefix="viva-anki-")
    except OSError as error:
        raise _refuse(path, _temp_folder_problem(error)) from None
    with folder as name:
        yield Path(name)


def _copy_collection(path: Path, archive: zipfile.ZipFile, folder: Path) -> Path:
    """Copies the package's collection into `folder` (decompressed); returns the copy."""
    names = set(archive.namelist())
    if "meta" in names:
        try:
            version = _package_version(archive.read("meta"))
        except (ValueError, zipfile.BadZipFile, OSError):
            raise _refuse(path, "has a damaged meta file") from None
        if version > KNOWN_PACKAGE_VERSION:
            raise _refuse(
                path,
                f"comes from a newer Anki package format (version {version}); update Viva "
                "or export it from Anki as a legacy package",
            )
    chosen = next((name for name in _COLLECTIONS if name in names), None)
    if chosen is None:
        raise _refuse(path, "holds no Anki collection (is it an Anki package?)")
    target = folder / "collection.sqlite"
    try:
        out = target.open("wb")
    except OSError as error:
        raise _refuse(path, _temp_folder_problem(error)) from None
    try:
        with out, archive.open(chosen) as member:
            _copy_limited(_Zstd(member, path) if chosen.endswith("21b") else member, out, path)
    except (zipfile.BadZipFile, zstandard.ZstdError, OSError, EOFError) as error:
        raise _refuse(path, f"is damaged: its collection cannot be read ({error})") from None
    if _cut_short(target):
        raise _refuse(path, _CUT_SHORT)
    return target


_CUT_SHORT = "is damaged: its collection is cut short (the package is truncated)"
# zstd turns 4 bytes into up to 128 KiB: a small piece of input keeps each output small.
_ZSTD_PIECE = 1024


class _Readable(Protocol):
    def read(self, size: int = -1, /) -> bytes: ...


class _Zstd:
    """A zstd-compressed collection, decompressed as it is read; a stream that ends before its
    frame does is refused as cut short (zstd's own readers return what they have)."""

    def __init__(self, source: _Readable, path: Path) -> None:
        self._source = source
        self._path = path
        self._decompressor = zstandard.ZstdDecompressor().decompressobj()

    def read(self, size: int = -1, /) -> bytes:
        while not self._decompressor.eof:
            piece = self._source.read(_ZSTD_PIECE)
            if not piece:
                raise _refuse(self._path, _CUT_SHORT)
            if data := self._decompressor.decompress(piece):
                return data
        return b""


def _copy_limited(reader: _Readable, out: BinaryIO, path: Path) -> None:
    total = 0
    while chunk := reader.read(1 << 20):
        total += len(chunk)
        if total > MAX_COLLECTION_BYTES:
            raise _refuse(path, "holds a collection larger than 2 GB")
        _write(out, chunk, path)
    _write(out, b"", path)


def _write(out: BinaryIO, chunk: bytes, path: Path) -> None:
    """Writes to the copy (flushed at the end, for `b""`): an error there is the temporary
    folder's, not the package's."""
    try:
        if chunk:
            out.write(chunk)
        else:
            out.flush()
    except OSError as error:
        raise _refuse(path, _temp_folder_problem(error)) from None


def _modern_note_types(db: sqlite3.Connection) -> dict[int, NoteType]:
    fields: dict[int, list[str]] = {}
    for ntid, _ord, name in db.execute("SELECT ntid, ord, name FROM fields ORDER BY ntid, ord"):
        fields.setdefault(ntid, []).append(name)
    fronts: dict[int, list[str]] = {}
    for ntid, config in db.execute("SELECT ntid, config FROM templates ORDER BY ntid, ord"):
        front = next((v for n, w, v in _protobuf_fields(config) if n == 1 and w == 2), b"")
        fronts.setdefault(ntid, []).append(bytes(front).decode("utf-8", "replace"))
    types = {}
    for ntid, name, config in db.execute("SELECT id, name, config FROM notetypes"):
        kind = next((v for n, w, v in _protobuf_fields(config) if n == 1 and w == 0), 0)
        types[ntid] = NoteType(
            name, kind == 1, tuple(fields.get(ntid, ())), tuple(fronts.get(ntid, ()))
        )
    return types


def _legacy_note_types(db: sqlite3.Connection) -> dict[int, NoteType]:
    (models,) = db.execute("SELECT models FROM col").fetchone()
    types = {}
    for mid, model in json.loads(models or "{}").items():
        types[int(mid)] = NoteType(
            str(model.get("name", "")),
            model.get("type") == 1,
            tuple(str(field.get("name", "")) for field in model.get("flds", [])),
            tuple(str(t.get("qfmt", "")) for t in model.get("tmpls", [])),
        )
    return types


def _decks(db: sqlite3.Connection, modern: bool) -> dict[int, tuple[str, ...]]:
    if modern:
        return {
            did: tuple(name.split(FIELD_SEPARATOR))
            for did, name in db.execute("SELECT id, name FROM decks")
        }
    (decks,) = db.execute("SELECT decks FROM col").fetchone()
    return {
        int(did): tuple(str(deck.get("name", "")).split("::"))
        for did, deck in json.loads(decks or "{}").items()
    }


def read_collection(path: Path) -> AnkiCollection:
    with open_collection(path) as db:
        tables = {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        modern = "notetypes" in tables
        try:
            types = _modern_note_types(db) if modern else _legacy_note_types(db)
            decks = _decks(db, modern)
        except (sqlite3.DatabaseError, ValueError, TypeError, AttributeError) as error:
            raise _refuse(path, f"has note types or decks that cannot be read ({error})") from None
        first_deck: dict[int, int] = {}
        for nid, did in db.execute("SELECT nid, did FROM cards ORDER BY nid, ord"):
            first_deck.setdefault(nid, did)
        notes = []
        for nid, guid, mid, tags, flds in db.execute(
            "SELECT id, guid, mid, tags, flds FROM notes ORDER BY id"
        ):
            note_type = types.get(mid)
            if note_type is None:
                raise _refuse(path, f"has a note ({guid}) whose note type is missing")
            notes.append(
                AnkiNote(
                    id=nid,
                    guid=str(guid),
                    note_type=note_type,
                    fields=tuple(str(flds or "").split(FIELD_SEPARATOR)),
                    tags=tuple(tag for tag in str(tags or "").split() if tag),
                    deck=decks.get(first_deck.get(nid, 1), ("Default",)),
                )
            )
        reviews: dict[int, list[AnkiReview]] = {}
        # ease 0 marks a manual reschedule, not an answer; type 3 answers in a filtered deck
        # that did not reschedule are answers too (Anki counts them).
        for nid, ord_, at_ms, ease, taken in db.execute(
            "SELECT c.nid, c.ord, r.id, r.ease, r.time FROM revlog r JOIN cards c ON c.id = r.cid "
            "WHERE r.ease BETWEEN 1 AND 4 ORDER BY r.id"
        ):
            reviews.setdefault(nid, []).append(
                AnkiReview(int(ord_), int(at_ms), int(ease), max(0, int(taken or 0)))
            )
        (created,) = db.execute("SELECT crt FROM col").fetchone()
        due = {}
        for nid, ord_, card_type, queue, card_due in db.execute(
            "SELECT nid, ord, type, queue, due FROM cards"
        ):
            when = _card_due(int(card_type), int(queue), int(card_due), int(created))
            if when is not None:
                due[(int(nid), int(ord_))] = when
        return AnkiCollection(tuple(notes), {nid: tuple(r) for nid, r in reviews.items()}, due)


CLOZE = re.compile(r"\{\{c(\d+)::(.*?)(?:::(.*?))?\}\}", re.DOTALL)
