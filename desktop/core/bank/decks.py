"""What a deck is called: the notes' title as a person would say it, else the file's name.

"Section 13: Frameworks and Tools - Complete Interview Notes" -> "Frameworks and Tools": a
numbering prefix ("Section 13:", "Chapter 2 -", "13.") goes, and so does every part that only
says what kind of document it is ("Complete Interview Notes", "Cheat sheet", "Q&A").
"""

from __future__ import annotations

import re

MAX_DECK_NAME = 60

_NUMBERING = re.compile(
    r"^\s*(?:(?:section|chapter|part|module|unit|lesson|week|day|topic)\s+[\w.]+|\d+(?:\.\d+)*)"
    r"\s*[:.\-–—)|]?\s+",
    re.IGNORECASE,
)
_SEPARATORS = re.compile(r"\s+[-–—|]\s+|:\s+")
_DOCUMENT_WORDS = frozenset(
    {
        "a",
        "an",
        "and",
        "the",
        "my",
        "our",
        "of",
        "for",
        "complete",
        "comprehensive",
        "ultimate",
        "full",
        "final",
        "interview",
        "interviews",
        "notes",
        "note",
        "questions",
        "question",
        "answers",
        "answer",
        "q&a",
        "qa",
        "faq",
        "cheat",
        "sheet",
        "cheatsheet",
        "guide",
        "prep",
        "preparation",
        "study",
        "review",
        "summary",
        "revision",
        "flashcards",
        "cards",
        "deck",
    }
)


def _says_only_what_it_is(part: str) -> bool:
    words = re.findall(r"[\w&]+", part.lower())
    return not words or all(word in _DOCUMENT_WORDS for word in words)


def title_subject(title: str) -> str:
    """What `title` says the notes are about ("" when it only says they are notes)."""
    text = re.sub(r"[*_`#]+", "", title).strip()
    text = _NUMBERING.sub("", text, count=1)
    parts = [part.strip() for part in _SEPARATORS.split(text) if part.strip()]
    kept = [part for part in parts if not _says_only_what_it_is(part)]
    return (text if len(kept) == len(parts) else " - ".join(kept)).strip(" -:.")


def deck_name_for(title: str, fallback: str) -> str:
    """The name a new deck gets from its notes' `title`; `fallback` (the file's name) when the
    title says nothing else."""
    name = title_subject(title) or fallback.strip() or "Notes"
    if len(name) > MAX_DECK_NAME:
        name = name[:MAX_DECK_NAME].rsplit(" ", 1)[0].rstrip(" -:,") + "…"
    return name
