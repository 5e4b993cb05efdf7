"""Inline Markdown to plain text, for key points, titles and topic names."""

from __future__ import annotations

import re

# Every pattern's inner part stops at the next marker of its kind, so a try that fails costs
# the distance to that marker, never the rest of the line: "*a " repeated 100,000 times reads in
# linear time (an open-ended `.+?` made it quadratic, minutes for one answer).
_IMAGE = re.compile(r"!\[([^\[\]]*)\]\([^()]*\)")
_LINK = re.compile(r"\[([^\[\]]+)\]\([^()]*\)")
_CODE = re.compile(r"(`+)([^`]+?)\1")
_STRONG_UNDERSCORE = re.compile(r"(?<!\w)__(?=[^\s_])((?:[^_]|_(?!_))+?)(?<=[^\s_])__(?!\w)")
_EMPHASIS_STAR = re.compile(r"(?<![\w*])\*(?=[^\s*])([^*]+?)(?<=[^\s*])\*(?![\w*])")
_EMPHASIS_UNDERSCORE = re.compile(r"(?<![\w_])_(?=[^\s_])([^_]+?)(?<=[^\s_])_(?![\w_])")
_CHECKBOX = re.compile(r"^\[[ xX]\]\s+")
_TAGS = re.compile(
    r"</?(?:a|b|i|u|em|strong|code|kbd|sup|sub|span|mark|small|br|del|ins|s)\b[^>]*>", re.IGNORECASE
)


def _first_group(match: re.Match[str]) -> str:
    return match.group(1)


def plain_text(markdown: str) -> str:
    """Drops emphasis, code ticks, link targets, checkboxes and HTML tags; one line of text."""
    text = markdown.strip()
    spans: list[str] = []
    if "`" in text:
        # Code keeps its underscores and stars: set it aside until emphasis is gone.
        def keep(match: re.Match[str]) -> str:
            spans.append(match.group(2).strip())
            return f"\x00{len(spans) - 1}\x00"

        text = _CODE.sub(keep, text)
    if "[" in text:
        text = _IMAGE.sub(_first_group, text)
        text = _LINK.sub(_first_group, text)
        text = _CHECKBOX.sub("", text)
    if "**" in text:
        text = text.replace("**", "")
    if "*" in text:
        text = _EMPHASIS_STAR.sub(_first_group, text)
    if "_" in text:
        text = _STRONG_UNDERSCORE.sub(_first_group, text)
        text = _EMPHASIS_UNDERSCORE.sub(_first_group, text)
    if "<" in text:
        text = _TAGS.sub("", text)
    if spans:
        text = re.sub("\x00(\\d+)\x00", lambda m: spans[int(m.group(1))], text)
    return " ".join(text.split())


def strip_quotes(text: str) -> str:
    """`"It should work fine."` -> `It should work fine.` (one matching pair only)."""
    text = text.strip()
    for opening, closing in (('"', '"'), ("“", "”"), ("'", "'")):
        if len(text) >= 2 and text.startswith(opening) and text.endswith(closing):
            inner = text[1:-1].strip()
            if opening not in inner and closing not in inner:
                return inner
    return text


def clip(text: str, limit: int) -> str:
    """Shortens `text` to at most `limit` characters, at a sentence end or a word boundary."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    sentence_end = max(cut.rfind(". "), cut.rfind("! "), cut.rfind("? "))
    if sentence_end >= limit // 2:
        return cut[: sentence_end + 1]
    space = cut.rfind(" ")
    if space >= limit // 2:
        cut = cut[:space]
    return cut.rstrip(" ,;:-") + "…"
