"""The bank written as an Anki package (genanki): one note per question with the note type
"Viva question" (Question, Answer: the reference rendered to HTML, Key points, and "Type in",
the text a typed answer is compared with), each in its deck ("Deck::Topic::Subtopic"), its tags
kept. Guids are stable: a question that came from Anki keeps its note's guid, any other one gets
a guid from its deck and identity, so exporting again updates the same notes in Anki. With the
history, each card carries its state (due date, interval, FSRS memory) and its review log.

Nothing is written outside the package's folder: the collection is built in a temporary file
beside the package (never in the temporary folder), and both are removed whether the export
succeeds or fails. Their names start with `TEMPORARY_PREFIX` and the writer's process id, so an
export that was killed leaves files the next export into that folder removes (once a minute
old and their writer gone)."""

from __future__ import annotations

import hashlib
import html
import itertools
import json
import os
import re
import sqlite3
import tempfile
import time
import zipfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import genanki

from desktop.core.bank.notes_markdown.inline import plain_text
from desktop.core.bank.questions import TOPIC_SEPARATOR, Question
from desktop.core.review.cards import CardSnapshot, CardState
from desktop.core.review.review_store import NewReview
from desktop.markup.html import markdown_html

FIELDS = ("Question", "Answer", "Key points", "Type in")
_FRONT = "{{Question}}\n\n{{type:Type in}}"
_BACK = (
    "{{FrontSide}}\n\n<hr id=answer>\n\n{{Answer}}\n\n"
    '{{#Key points}}<div class="keypoints"><b>Key points</b>{{Key points}}</div>{{/Key points}}'
)
_CSS = ".card { font-family: sans-serif; font-size: 18px; text-align: left; }"


def _stable_id(text: str) -> int:
    """A positive 31-bit id that stays the same for the same text (Anki wants ints)."""
    return int.from_bytes(hashlib.sha256(text.encode("utf-8")).digest()[:4], "big") >> 1


NOTE_TYPE = genanki.Model(
    _stable_id("viva-question-note-type-1"),
    "Viva question",
    fields=[{"name": name} for name in FIELDS],
    templates=[{"name": "Question", "qfmt": _FRONT, "afmt": _BACK}],
    css=_CSS,
)


def anki_deck_name(question: Question) -> str:
    parts = [question.deck, *(p for p in question.topic.split(TOPIC_SEPARATOR) if p)]
    return "::".join(part.replace("::", ":") for part in parts)


def note_guid(question: Question) -> str:
    """The guid of the note that came from Anki (a reversed or cloze question, which shares its
    note, gets one derived from its own identity), else one derived from the question's row:
    its id and creation time, which stay when the notes renumber it (its identity follows its
    number, so a guid from the identity would hand its Anki note to another question)."""
    if question.identity.startswith("anki:"):
        guid = question.identity.removeprefix("anki:")
        if " " not in guid:
            return guid
        return str(genanki.guid_for("viva", question.deck, question.identity))
    created = question.created_at.isoformat() if question.created_at is not None else ""
    return str(genanki.guid_for("viva", question.deck, question.id, created))


def _note(question: Question) -> genanki.Note:
    points = "".join(f"<li>{html.escape(p)}</li>" for p in question.key_points)
    return genanki.Note(
        model=NOTE_TYPE,
        fields=[
            markdown_html(question.prompt),
            markdown_html(question.reference),
            f"<ul>{points}</ul>" if points else "",
            "; ".join(plain_text(p) for p in question.key_points),
        ],
        tags=[tag.replace(" ", "_") for tag in question.tags],
        guid=note_guid(question),
    )


@dataclass(frozen=True)
class QuestionSchedule:
    """What Anki should know of a question's schedule: its card now and its answers."""

    card: CardSnapshot | None
    answers: tuple[NewReview, ...]


_CARD_TYPES = {
    CardState.NEW: (0, 0),
    CardState.LEARNING: (1, 1),
    CardState.REVIEW: (2, 2),
    CardState.RELEARNING: (3, 1),
}
_REVLOG_TYPES = {CardState.NEW: 0, CardState.LEARNING: 0, CardState.REVIEW: 1}
DAY_S = 86_400


def _days(moment: datetime) -> int:
    return int(moment.timestamp() // DAY_S)


def _add_schedules(db: sqlite3.Connection, schedules: Mapping[str, QuestionSchedule]) -> None:
    """Writes each card's state and review log into genanki's collection (by note guid)."""
    (created,) = db.execute("SELECT crt FROM col").fetchone()
    today = _days(datetime.fromtimestamp(created, UTC))
    cards = dict(
        db.execute(
            "SELECT n.guid, c.id FROM cards c JOIN notes n ON n.id = c.nid WHERE c.ord = 0"
        ).fetchall()
    )
    used_ids: set[int] = set()
    for guid, schedule in schedules.items():
        card_id = cards.get(guid)
        card = schedule.card
        if card_id is None or card is None:
            continue
        card_type, queue = _CARD_TYPES[card.state]
        last = card.last_review or card.due
        interval = max(0, (card.due - last).days)
        due = card.due.timestamp() if queue == 1 else _days(card.due) - today
        memory = (
            json.dumps({"s": card.stability, "d": card.difficulty})
            if card.stability is not None and card.difficulty is not None
            else ""
        )
        db.execute(
            "UPDATE cards SET type = ?, queue = ?, due = ?, ivl = ?, factor = 2500, "
            "reps = ?, lapses = ?, data = ? WHERE id = ?",
            (card_type, queue, int(due), interval, card.reps, card.lapses, memory, card_id),
        )
        for answer in schedule.answers:
            revlog_id = int(answer.reviewed_at.timestamp() * 1000)
            while revlog_id in used_ids:
                revlog_id += 1  # ids are times in ms and must be unique
            used_ids.add(revlog_id)
            before = answer.card_before.state if answer.card_before else CardState.NEW
            after = answer.card_after
            answer_interval = (
                max(0, (after.due - answer.reviewed_at).days) if after is not None else 0
            )
            db.execute(
                "INSERT INTO revlog (id, cid, usn, ease, ivl, lastIvl, factor, time, type) "
                "VALUES (?, ?, -1, ?, ?, 0, 2500, ?, ?)",
                (
                    revlog_id,
                    card_id,
                    int(answer.rating),
                    answer_interval,
                    min(answer.duration_ms, 60_000),
                    _REVLOG_TYPES.get(before, 2),
                ),
            )
    db.commit()


TEMPORARY_PREFIX = ".viva-anki-export-"
STALE_AFTER_S = 60
# This prefix, the writer's process id, then what mkstemp adds; or what an older version left.
_LEFTOVER = re.compile(rf"^{re.escape(TEMPORARY_PREFIX)}(\d+)-|^\.viva-[a-z0-9_]{{8}}\.apkg$")


def _writer_gone(pid: int) -> bool:
    if os.name == "nt":
        return True  # Windows cannot remove a file still open: a running export keeps its own
    if pid == os.getpid():
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except OSError:
        return False  # running, as another user
    return False


def remove_leftovers(folder: Path) -> None:
    """Removes what an export into `folder` that was killed left there."""
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return
    now = time.time()
    for entry in entries:
        match = _LEFTOVER.match(entry.name)
        if match is None:
            continue
        try:
            if now - entry.stat(follow_symlinks=False).st_mtime < STALE_AFTER_S:
                continue
            if match.group(1) is None or _writer_gone(int(match.group(1))):
                os.unlink(entry.path)
        except (OSError, ValueError):
            continue


def _temporary(folder: Path, suffix: str) -> Path:
    prefix = f"{TEMPORARY_PREFIX}{os.getpid()}-"
    handle, name = tempfile.mkstemp(prefix=prefix, suffix=suffix, dir=folder)
    os.close(handle)
    return Path(name)


def _write_collection(
    collection: Path, decks: list[genanki.Deck], schedules: Mapping[str, QuestionSchedule]
) -> None:
    """Writes genanki's collection of `decks`, with `schedules` (by note guid), to `collection`.
    Its journal and SQLite's scratch space stay in memory: nothing lands beside it or in the
    temporary folder."""
    db = sqlite3.connect(collection)
    try:
        db.execute("PRAGMA journal_mode = MEMORY")
        db.execute("PRAGMA temp_store = MEMORY")
        now = time.time()
        genanki.Package(decks).write_to_db(db.cursor(), now, itertools.count(int(now * 1000)))
        db.commit()
        if schedules:
            _add_schedules(db, schedules)
    finally:
        db.close()


def write_anki_package(
    questions: Sequence[Question],
    out: Path,
    schedules: Mapping[int, QuestionSchedule] | None = None,
) -> int:
    """Writes `questions` to `out` (atomically); with `schedules` (by question id), each
    card's state and answers too, so Anki carries the schedule on. Returns how many notes it
    holds. Raises `OSError` or `sqlite3.Error` when the folder cannot take the files."""
    decks: dict[str, genanki.Deck] = {}
    for question in questions:
        name = anki_deck_name(question)
        deck = decks.get(name)
        if deck is None:
            deck = decks[name] = genanki.Deck(_stable_id(f"viva-deck:{name}"), name)
        deck.add_note(_note(question))
    by_guid = {note_guid(q): schedules[q.id] for q in questions if schedules and q.id in schedules}
    out.parent.mkdir(parents=True, exist_ok=True)
    remove_leftovers(out.parent)
    written: list[Path] = []
    try:
        collection = _temporary(out.parent, ".anki2")
        written.append(collection)
        package = _temporary(out.parent, ".apkg")
        written.append(package)
        _write_collection(collection, list(decks.values()), by_guid)
        with zipfile.ZipFile(package, "w", zipfile.ZIP_DEFLATED) as archive:
            archive.write(collection, "collection.anki2")
            archive.writestr("media", "{}")
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(package, 0o666 & ~umask)  # as any file the learner saves
        os.replace(package, out)
    finally:
        for path in written:
            path.unlink(missing_ok=True)
    return len(questions)
