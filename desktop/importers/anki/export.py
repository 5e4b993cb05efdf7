"""The bank written as an Anki package (genanki): one note per question with the note type
"Viva question" (Question, Answer: the reference rendered to HTML, Key points, and "Type in",
the text a typed answer is compared with), each in its deck ("Deck::Topic::Subtopic"), its tags
kept. Guids are stable: a question that came from Anki keeps its note's guid, any other one gets
a guid from its deck and identity, so exporting again updates the same notes in Anki. With the
history, each card carries its state (due date, interval, FSRS memory) and its review log."""

from __future__ import annotations

import hashlib
import html
import json
import os
import sqlite3
import tempfile
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


def _add_schedules(collection: Path, schedules: Mapping[str, QuestionSchedule]) -> None:
    """Writes each card's state and review log into genanki's collection (by note guid)."""
    db = sqlite3.connect(collection)
    try:
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
    finally:
        db.close()


def _with_schedules(package: Path, schedules: Mapping[str, QuestionSchedule]) -> None:
    """Rewrites `package` with the schedules in its collection."""
    with tempfile.TemporaryDirectory(prefix="viva-anki-") as folder:
        with zipfile.ZipFile(package) as archive:
            archive.extractall(folder)
            names = archive.namelist()
        _add_schedules(Path(folder) / "collection.anki2", schedules)
        with zipfile.ZipFile(package, "w", zipfile.ZIP_DEFLATED) as archive:
            for name in names:
                archive.write(Path(folder) / name, name)


def write_anki_package(
    questions: Sequence[Question],
    out: Path,
    schedules: Mapping[int, QuestionSchedule] | None = None,
) -> int:
    """Writes `questions` to `out` (atomically); with `schedules` (by question id), each
    card's state and answers too, so Anki carries the schedule on. Returns how many notes it
    holds."""
    decks: dict[str, genanki.Deck] = {}
    for question in questions:
        name = anki_deck_name(question)
        deck = decks.get(name)
        if deck is None:
            deck = decks[name] = genanki.Deck(_stable_id(f"viva-deck:{name}"), name)
        deck.add_note(_note(question))
    out.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=".viva-", suffix=".apkg", dir=out.parent)
    os.close(handle)
    try:
        genanki.Package(list(decks.values())).write_to_file(temporary)
        if schedules:
            by_guid = {note_guid(q): schedules[q.id] for q in questions if q.id in schedules}
            _with_schedules(Path(temporary), by_guid)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(temporary, 0o666 & ~umask)  # as any file the learner saves
        os.replace(temporary, out)
    finally:
        if os.path.exists(temporary):
            os.unlink(temporary)
    return len(questions)
