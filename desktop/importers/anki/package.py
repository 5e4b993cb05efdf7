"""Reading an Anki package with the standard library: the ZIP, its collection (the current
`collection.anki21b`, zstd-compressed, or the legacy `collection.anki21` / `collection.anki2`),
and from the collection's SQLite its note types, decks, notes and cards.

A package is refused with a `NotesFormatError` naming it when it is not a ZIP, is damaged, holds
no collection, or comes from a format newer than this reader knows (its `meta` says so).
"""

from __future__ import annotations

import json
import re
import sqlite3
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


@contextmanager
def open_collection(path: Path) -> Iterator[sqlite3.Connection]:
    """The package's collection as a read-only SQLite connection (on a temporary copy)."""
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as error:
        raise _refuse(path, f"is not an Anki package (not a readable ZIP: {error})") from None
    with archive, tempfile.TemporaryDirectory(prefix="viva-anki-") as folder:
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
        target = Path(folder) / "collection.sqlite"
        try:
            with archive.open(chosen) as member, target.open("wb") as out:
                if chosen.endswith("21b"):
                    reader = zstandard.ZstdDecompressor().stream_reader(member)
                    _copy_limited(reader, out, path)
                else:
                    _copy_limited(member, out, path)
        except (zipfile.BadZipFile, zstandard.ZstdError, OSError, EOFError) as error:
            raise _refuse(path, f"is damaged: its collection cannot be read ({error})") from None
        connection = sqlite3.connect(f"file:{target}?mode=ro", uri=True)
        try:
            connection.execute("SELECT count(*) FROM notes").fetchone()
            yield connection
        except sqlite3.DatabaseError as error:
            raise _refuse(path, f"is damaged: its collection is not a database ({error})") from None
        finally:
            connection.close()


class _Readable(Protocol):
    def read(self, size: int = -1, /) -> bytes: ...


def _copy_limited(reader: _Readable, out: BinaryIO, path: Path) -> None:
    total = 0
    while True:
        chunk = reader.read(1 << 20)
        if not chunk:
            return
        total += len(chunk)
        if total > MAX_COLLECTION_BYTES:
            raise _refuse(path, "holds a collection larger than 2 GB")
        out.write(chunk)


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
