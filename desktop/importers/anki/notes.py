"""Anki notes as questions: the front is the prompt and the back the reference (HTML turned into
Markdown); "Basic (and reversed card)" also asks the back, and "optional reversed" does when its
"Add Reverse" field is filled; a cloze note gives one question per cloze number, its hidden words
as the key points; any other note type is read by its first two fields. The Anki deck is the
deck, its subdecks the topic, the tags the tags. A question's identity is the note's guid, so a
re-import of the same package updates in place."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path

from desktop.core.bank.notes_markdown.inline import plain_text
from desktop.core.bank.notes_markdown.key_points import extract_key_points
from desktop.core.bank.questions import ParsedNotes, ParsedQuestion, QuestionKind
from desktop.core.errors import NotesFormatError
from desktop.core.review.cards import PastAnswer, PastCard, Rating
from desktop.importers.anki.html_markdown import html_to_markdown
from desktop.importers.anki.package import (
    CLOZE,
    AnkiCollection,
    AnkiNote,
    open_package,
    read_collection,
)

# A question's identity is "anki:" and the note's guid, then for a second question of the same
# note " reversed" or " cloze N": a space is never in a guid (Anki's are base91), so the guid
# can always be read back.
REVERSED = " reversed"


def cloze_identity(note: AnkiNote, number: int) -> str:
    return f"anki:{note.guid} cloze {number}"


HIDDEN = "[…]"


def _question(
    note: AnkiNote, identity: str, prompt: str, reference: str, key_points: Iterable[str]
) -> ParsedQuestion:
    return ParsedQuestion(
        kind=QuestionKind.QA,
        identity=identity,
        topic=note.deck[1:],
        prompt=prompt,
        reference=reference,
        key_points=tuple(key_points),
        line=0,
        tags=note.tags,
    )


def _cloze_questions(note: AnkiNote) -> list[ParsedQuestion]:
    text = note.fields[0]
    extra = html_to_markdown(note.fields[1]) if len(note.fields) > 1 else ""
    numbers = sorted({int(match.group(1)) for match in CLOZE.finditer(text)})
    questions = []
    for number in numbers:
        hidden = [m.group(2) for m in CLOZE.finditer(text) if int(m.group(1)) == number]

        def asked(match: re.Match[str], number: int = number) -> str:
            if int(match.group(1)) != number:
                return match.group(2)  # another cloze: shown
            hint = match.group(3)
            return f"[{hint}]" if hint else HIDDEN

        def shown(match: re.Match[str], number: int = number) -> str:
            answer = match.group(2)
            return f"<b>{answer}</b>" if int(match.group(1)) == number else answer

        prompt = html_to_markdown(CLOZE.sub(asked, text))
        reference = html_to_markdown(CLOZE.sub(shown, text))
        if extra:
            reference += "\n\n" + extra
        points = [plain_text(html_to_markdown(part)) for part in hidden]
        questions.append(_question(note, cloze_identity(note, number), prompt, reference, points))
    return questions


def _reversed(note: AnkiNote) -> bool:
    """Whether Anki makes a card that asks the back of this note."""
    templates = note.note_type.front_templates
    if len(templates) < 2 or len(note.fields) < 2:
        return False
    second = templates[1]
    if "{{#" in second:  # "optional reversed": only when that field is filled
        names = note.note_type.fields
        wanted = second.split("{{#", 1)[1].split("}}", 1)[0]
        index = names.index(wanted) if wanted in names else -1
        return 0 <= index < len(note.fields) and bool(note.fields[index].strip())
    return True


def _front_back_questions(note: AnkiNote) -> list[ParsedQuestion]:
    front = html_to_markdown(note.fields[0])
    back = html_to_markdown(note.fields[1]) if len(note.fields) > 1 else ""
    questions = [_question(note, f"anki:{note.guid}", front, back, extract_key_points(back))]
    if _reversed(note) and back:
        questions.append(
            _question(note, f"anki:{note.guid}{REVERSED}", back, front, extract_key_points(front))
        )
    return questions


def _questions(note: AnkiNote, path: Path) -> list[ParsedQuestion]:
    if not any(field.strip() for field in note.fields):
        raise NotesFormatError(str(path), f"has a note without fields (guid {note.guid})")
    if note.note_type.cloze:
        return _cloze_questions(note)
    return [q for q in _front_back_questions(note) if q.prompt and q.reference]


def card_identity(note: AnkiNote, card_ord: int) -> str:
    """The identity of the question a card of `note` asks (see `_questions`)."""
    if note.note_type.cloze:
        return cloze_identity(note, card_ord + 1)
    return f"anki:{note.guid}" if card_ord == 0 else f"anki:{note.guid}{REVERSED}"


def _history(collection: AnkiCollection) -> dict[str, PastCard]:
    """Each answered card's answers and due date, by the identity of the question it asks."""
    answers: dict[tuple[AnkiNote, int], list[PastAnswer]] = {}
    for note in collection.notes:
        for review in collection.reviews.get(note.id, ()):
            answers.setdefault((note, review.card_ord), []).append(
                PastAnswer(
                    datetime.fromtimestamp(review.at_ms / 1000, UTC),
                    Rating(review.ease),
                    review.duration_ms,
                )
            )
    return {
        card_identity(note, card_ord): PastCard(
            tuple(past), collection.due.get((note.id, card_ord))
        )
        for (note, card_ord), past in answers.items()
    }


def _digest(path: Path) -> str:
    with open_package(path) as handle:
        try:
            return hashlib.file_digest(handle, "sha256").hexdigest()
        except OSError as error:
            raise NotesFormatError(
                str(path), f"cannot be read ({error.strerror or error})"
            ) from None


def parse_anki_package(path: Path) -> list[ParsedNotes]:
    """One `ParsedNotes` per top-level Anki deck (its path: the package's, then `#` and the
    deck), with the review log of its questions. Raises `NotesFormatError` for a package that
    cannot be read."""
    resolved = path.expanduser().resolve()
    collection = read_collection(resolved)
    history = _history(collection)
    digest = _digest(resolved)
    by_deck: dict[str, list[ParsedQuestion]] = {}
    for note in collection.notes:
        by_deck.setdefault(note.deck[0] or "Default", []).extend(_questions(note, resolved))
    if not any(by_deck.values()):
        raise NotesFormatError(str(resolved), "holds no notes that make a question")
    parsed = []
    for deck, questions in by_deck.items():
        if not questions:
            continue
        numbered = tuple(
            ParsedQuestion(**{**vars(q), "line": index}) for index, q in enumerate(questions, 1)
        )
        parsed.append(
            ParsedNotes(
                path=f"{resolved}#{deck}",
                title=deck,
                content_hash=hashlib.sha256(f"{digest}:{deck}".encode()).hexdigest(),
                questions=numbered,
                deck_name=deck,
                history={
                    q.identity: history[q.identity] for q in numbered if q.identity in history
                },
            )
        )
    return parsed
