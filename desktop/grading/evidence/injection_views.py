"""The forms in which an answer is read for instructions to the grader.

An instruction can hide from a pattern without hiding from a model: letters from other scripts
that look Latin ("Іgnоrе"), zero-width characters between the letters, fullwidth forms, letters
spaced apart, digits for letters, the text reversed, or encoded in base64 or ROT13. A capable
model reads through all of these, so the checks read each form too. The forms are for the checks
only: the answer graded and stored is the learner's text as written.

Every form is built in one linear pass over an answer already bounded by the assessment.
"""

from __future__ import annotations

import base64
import binascii
import codecs
import re
import unicodedata

# Cyrillic and Greek letters drawn like Latin ones (Unicode's confusables, the common part).
_LOOKALIKES = str.maketrans(
    {
        "а": "a", "в": "b", "е": "e", "ё": "e", "к": "k", "м": "m", "н": "h", "о": "o",
        "р": "p", "с": "c", "т": "t", "у": "y", "х": "x", "і": "i", "ї": "i", "ј": "j",
        "ѕ": "s", "ԁ": "d", "ԛ": "q", "ԝ": "w", "һ": "h", "ӏ": "l", "ɡ": "g",
        "А": "A", "В": "B", "Е": "E", "К": "K", "М": "M", "Н": "H", "О": "O", "Р": "P",
        "С": "C", "Т": "T", "У": "Y", "Х": "X", "І": "I", "Ј": "J", "Ѕ": "S",
        "α": "a", "ε": "e", "ι": "i", "κ": "k", "ν": "v", "ο": "o", "ρ": "p", "τ": "t",
        "υ": "u", "χ": "x", "Α": "A", "Β": "B", "Ε": "E", "Η": "H", "Ι": "I", "Κ": "K",
        "Μ": "M", "Ν": "N", "Ο": "O", "Ρ": "P", "Τ": "T", "Υ": "Y", "Χ": "X", "Ζ": "Z",
    }
)  # fmt: skip
_DIGIT_LETTERS = str.maketrans({"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t"})
_LEET_WORD = re.compile(r"\b(?=\w*[a-z])(?=\w*[013457])[a-z013457]{3,}\b", re.I)
# Single letters with single separators between them: "I g n o r e", "i.g.n.o.r.e".
_SPACED_LETTERS = re.compile(r"\b(?:\w[ .\-_*]){3,}\w\b")
_SEPARATOR = re.compile(r"[ .\-_*]")
_BASE64_RUN = re.compile(r"[A-Za-z0-9+/]{16,}={0,2}")
_MIN_PRINTABLE_SHARE = 0.9
# Views of views stop here: base64 of ROT13 is read, base64 of base64 of ROT13 is not.
_MAX_DEPTH = 2


def check_views(answer: str) -> tuple[str, ...]:
    """The answer's normalised text first, then every other form it can be read in."""
    return tuple(dict.fromkeys(_views(answer, _MAX_DEPTH)))


def normalise(text: str) -> str:
    """Compatibility forms folded (fullwidth, ligatures) and invisible characters removed."""
    folded = unicodedata.normalize("NFKC", text)
    return "".join(char for char in folded if not _invisible(char))


def _views(answer: str, depth: int) -> list[str]:
    written = normalise(answer)
    # Lookalike letters read as the Latin ones they imitate (the written form keeps them, for
    # the patterns of languages written in those scripts).
    text = written.translate(_LOOKALIKES)
    views = [written, text, _join_spaced_letters(text), _LEET_WORD.sub(_read_leet, text)]
    views.extend((text[::-1], codecs.encode(text, "rot13")))
    if depth > 1:
        for decoded in _decoded_runs(text):
            views.extend(_views(decoded, depth - 1))
    return views


def _invisible(char: str) -> bool:
    """Format characters (zero-width space and joiners, soft hyphen, bidi controls)."""
    return unicodedata.category(char) == "Cf"


def _join_spaced_letters(text: str) -> str:
    return _SPACED_LETTERS.sub(lambda match: _SEPARATOR.sub("", match.group(0)), text)


def _read_leet(match: re.Match[str]) -> str:
    return match.group(0).translate(_DIGIT_LETTERS)


def _decoded_runs(text: str) -> list[str]:
    """Runs of base64 that decode to readable text."""
    decoded: list[str] = []
    for match in _BASE64_RUN.finditer(text):
        run = match.group(0)
        if not run.endswith("="):
            run = run[: len(run) - len(run) % 4]
        try:
            raw = base64.b64decode(run, validate=True)
            readable = raw.decode("utf-8")
        except (binascii.Error, ValueError):
            continue
        printable = sum(1 for char in readable if char.isprintable() or char.isspace())
        if readable and printable / len(readable) >= _MIN_PRINTABLE_SHARE:
            decoded.append(readable)
    return decoded
