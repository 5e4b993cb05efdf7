"""How numbers, dates and texts read in the PDF and HTML reports (one style for both)."""

from __future__ import annotations

import math
from datetime import date, datetime, tzinfo

from desktop.core.reports.history import HistoryScope

NOTHING = "–"
# Invisible characters that reorder the text around them: the embeddings and overrides
# (U+202A to U+202E), the isolates (U+2066 to U+2069) and the marks (LRM, RLM, ALM).
BIDI_CONTROLS = "".join(
    map(chr, [*range(0x202A, 0x202F), *range(0x2066, 0x206A), 0x200E, 0x200F, 0x061C])
)
_NO_BIDI_CONTROLS = str.maketrans(dict.fromkeys(BIDI_CONTROLS))


def count(value: int) -> str:
    """12,345: thousands grouped, as in the English text around them."""
    return f"{value:,}"


def percent(value: float | None) -> str:
    """0.8234 -> "82%"; None (nothing measured) -> an en dash, never a misleading 0%."""
    # Half up, as people round (62.5% reads 63%), not Python's half-to-even.
    return NOTHING if value is None else f"{math.floor(value * 100 + 0.5)}%"


def day(value: date) -> str:
    return value.isoformat()


def short_day(value: date) -> str:
    """Mar 3: for axis labels, where the period gives the year."""
    return f"{value.strftime('%b')} {value.day}"


def moment(value: datetime, zone: tzinfo) -> str:
    return value.astimezone(zone).strftime("%Y-%m-%d %H:%M")


def days(count: int) -> str:
    return f"{count} day" if count == 1 else f"{count} days"


def times(count: int) -> str:
    return "once" if count == 1 else f"{count:,} times"


def clipped(text: str, limit: int) -> str:
    """`text` on one line, cut at a word boundary with an ellipsis past `limit` characters."""
    line = " ".join(text.split())
    if len(line) <= limit:
        return line
    cut = line[: limit - 1]
    if " " in cut[limit // 2 :]:
        cut = cut[: cut.rindex(" ")]
    return cut.rstrip(" ,.;:") + "…"


def without_bidi_controls(text: str) -> str:
    """`text` without its bidirectional controls, so it prints in the order it was written:
    "abc", U+202E, "exe.txt" reads "abcexe.txt", not "abctxt.exe". Right-to-left scripts still run
    right to left (that comes from their letters, not from these controls)."""
    return text.translate(_NO_BIDI_CONTROLS)


def scope_text(scope: HistoryScope) -> str:
    if scope.is_everything:
        return "All questions"
    parts = []
    if scope.decks:
        parts.append("decks: " + ", ".join(scope.decks))
    if scope.topics:
        parts.append("topics: " + ", ".join(scope.topics))
    text = "; ".join(parts)
    return text[0].upper() + text[1:]
