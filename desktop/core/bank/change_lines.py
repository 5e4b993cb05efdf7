"""The words an import's report shares: how a question, a text and the fields that differ are
named in the lines of its changes (the preview and the command line show them), the line of a
new question, and the warning about new questions another deck holds."""

from __future__ import annotations

from collections.abc import Collection

from desktop.core.bank.matching import question_similarity
from desktop.core.bank.notes_markdown.inline import clip
from desktop.core.bank.questions import ParsedQuestion
from desktop.core.bank.stored import QuestionState

_FIELD_NAMES = {"key_points": "key points", "wrong_answer": "wrong answer"}


def where(question: ParsedQuestion) -> str:
    return f"{question.identity} (line {question.line})"


def quoted(text: str) -> str:
    return '"' + clip(" ".join(text.split()), 80) + '"'


def described(fields: Collection[str]) -> str:
    """The fields that differ, as a person names them ("prompt, key points")."""
    return ", ".join(_FIELD_NAMES.get(key, key) for key in fields)


def added(deck: str, question: ParsedQuestion, replaced: QuestionState | None) -> str:
    """A new question; the line says so when it took the number of a question whose text it
    barely matches (that one is retired)."""
    if replaced is None or replaced.retired:
        return f"{deck}: added {where(question)}"
    alike = question_similarity(
        question.prompt, question.reference, replaced.prompt, replaced.reference
    )
    return (
        f"{deck}: {where(question)} looks new: its text barely matches the old "
        f"{replaced.identity} {quoted(replaced.prompt)} ({alike:.0%} alike), which is "
        "retired with its history; added as a new question"
    )


def held_elsewhere(deck: str, other: str, identities: Collection[str]) -> str:
    """A warning: `identities`, new questions of `deck`, are already in the deck `other`."""
    examples = ", ".join(sorted(identities)[:3])
    return (
        f"{len(identities)} of the new questions in {deck} are already in the deck "
        f'"{other}" ({examples}{", …" if len(identities) > 3 else ""}): importing adds '
        "them a second time."
    )
