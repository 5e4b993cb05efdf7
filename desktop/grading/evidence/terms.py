"""Turning text into comparable terms: lower case, one spelling per concept, light stemming.

Interview answers name the same thing many ways ("DDP", "DistributedDataParallel",
"distributed data parallel"); evidence matching would miss most of them without one canonical
term per concept. The stemmer is deliberately light: both sides go through the same rules, so it
only has to be consistent, not linguistically right.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from desktop.grading.evidence.vocabulary import PHRASES, STOPWORDS, WORD_ALIASES

# How many words after "not" a negation reaches (as in NegEx-style scopes), within its clause.
NEGATION_SCOPE = 5
NEGATORS = frozenset({"not", "no", "never", "without", "neither", "nor", "none", "cannot"})

_WORD = re.compile(r"[a-z0-9]+")
# A negation reaches to the end of its clause at most.
_CLAUSE = re.compile(r"[.,;:!?()\n]")
_CONTRACTION = re.compile(r"n['’]t\b")
_SEPARATORS = re.compile(r"[-_/]")
# Longest suffix first; each rule is (suffix, replacement). One rule applies per word.
_SUFFIX_RULES: tuple[tuple[str, str], ...] = (
    ("isations", "ize"),
    ("izations", "ize"),
    ("isation", "ize"),
    ("ization", "ize"),
    ("ational", "ate"),
    ("fulness", "ful"),
    ("iveness", "ive"),
    ("ousness", "ous"),
    ("ations", "ate"),
    ("ation", "ate"),
    ("ments", ""),
    ("ingly", ""),
    ("ities", ""),
    ("ement", ""),
    ("ment", ""),
    ("ness", ""),
    ("ings", ""),
    ("ises", "ize"),
    ("ised", "ize"),
    ("ising", "ize"),
    ("izes", "ize"),
    ("ized", "ize"),
    ("izing", "ize"),
    ("edly", ""),
    ("ity", ""),
    ("ing", ""),
    ("ies", "y"),
    ("ied", "y"),
    ("ers", ""),
    ("ly", ""),
    ("ed", ""),
    ("er", ""),
    ("es", ""),
    ("s", ""),
)
_KEEP_ENDINGS = ("ss", "us", "is", "as", "os")


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """A light suffix-stripping stemmer; numbers and short words are left alone."""
    if len(word) <= 3 or not word.isalpha():
        return word
    word = word.replace("iour", "ior")
    if not word.endswith(_KEEP_ENDINGS):
        for suffix, replacement in _SUFFIX_RULES:
            if word.endswith(suffix) and len(word) - len(suffix) >= 3:
                word = word[: -len(suffix)] + replacement
                break
    if word.endswith("e") and len(word) > 4:
        word = word[:-1]
    if len(word) >= 4 and word[-1] == word[-2] and word[-1] not in "aeiouls":
        word = word[:-1]
    return word


def _phrase_pattern() -> re.Pattern[str]:
    surfaces = sorted(
        (surface for variants in PHRASES.values() for surface in variants), key=len, reverse=True
    )
    return re.compile(r"\b(" + "|".join(re.escape(surface) for surface in surfaces) + r")\b")


_PHRASE = _phrase_pattern()
_CANONICAL = {surface: canonical for canonical, variants in PHRASES.items() for surface in variants}


def normalise(text: str) -> str:
    """Lower case, contractions opened, hyphens split, multi-word names joined into one term."""
    text = _CONTRACTION.sub(" not", text.lower())
    text = text.replace("cannot", "can not")
    text = _SEPARATORS.sub(" ", text)
    text = re.sub(r"\s+", " ", text)
    return _PHRASE.sub(lambda match: f" {_CANONICAL[match.group(1)]} ", text)


@dataclass(frozen=True)
class Token:
    """One word of a text: its stem (`term`), whether it carries content, and where it is."""

    term: str
    content: bool
    negated: bool
    position: int


def tokens(text: str) -> list[Token]:
    """The text's words in order; a content word is negated when a negator precedes it closely
    in the same clause."""
    result: list[Token] = []
    position = 0
    for clause in _CLAUSE.split(normalise(text)):
        last_negator: int | None = None
        for word in _WORD.findall(clause):
            if word in NEGATORS:
                last_negator = position
            word = WORD_ALIASES.get(word, word)
            content = word not in STOPWORDS and word not in NEGATORS
            negated = (
                content and last_negator is not None and position - last_negator <= NEGATION_SCOPE
            )
            result.append(Token(stem(word), content, negated, position))
            position += 1
    return result


def content_terms(text: str) -> list[str]:
    """Distinct content terms in order of first appearance."""
    seen: dict[str, None] = {}
    for token in tokens(text):
        if token.content:
            seen.setdefault(token.term, None)
    return list(seen)


def raw_words(text: str) -> list[str]:
    return _WORD.findall(text.lower())
