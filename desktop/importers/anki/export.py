"""The bank written as an Anki package (genanki): one note per question with the note type
"Viva question" (Question, Answer: the reference rendered to HTML, Key points, and "Type in",
the text a typed answer is compared with), each in its deck ("Deck::Topic::Subtopic"), its tags
kept. Guids are stable: a question that came from Anki keeps its note's guid, any other one gets
a guid from its deck and identity, so exporting again updates the same notes in Anki."""

from __future__ import annotations

import hashlib
import html
import os
import tempfile
from collections.abc import Sequence
from pathlib import Path

import genanki

from desktop.core.bank.notes_markdown.inline import plain_text
from desktop.core.bank.questions import TOPIC_SEPARATOR, Question
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
    """The guid of the note that came from Anki, else one derived from deck and identity."""
    if question.identity.startswith("anki:"):
        guid = question.identity.removeprefix("anki:")
        if ":" not in guid:  # a reversed or cloze question shares its note: give it its own
            return guid
    return str(genanki.guid_for("viva", question.deck, question.identity))


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


def write_anki_package(questions: Sequence[Question], out: Path) -> int:
    """Writes `questions` to `out` (atomically); returns how many notes it holds."""
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
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(temporary, 0o666 & ~umask)  # as any file the learner saves
        os.replace(temporary, out)
    finally:
        if os.path.exists(temporary):
            os.unlink(temporary)
    return len(questions)
