"""Lists as people write them in notes, made into lists Python-Markdown understands.

Notes are written for CommonMark readers (GitHub, Obsidian, VS Code): a list may follow a line of
text directly ("**Trade-offs**:" then "- a"), and a nested item is indented under its parent's
text, by two or three spaces as often as four. Python-Markdown needs a blank line before a list
and four spaces per level, or it runs the items into one paragraph with literal " - ". This
rewrites only list structure: a blank line where a list starts after text, and each item's
indent as four spaces per level. Fenced code is copied untouched (an indented fence is moved to
the margin, where the fenced-code reader finds it). Numbered items followed by bullets at the
same indent are two lists, as in CommonMark.
"""

from __future__ import annotations

import re

_ITEM = re.compile(r"^(?P<indent>[ \t]*)(?P<marker>[-*+]|\d{1,9}[.)])(?P<gap>[ \t]+|$)")
_FENCE = re.compile(r"^[ \t]*(?P<fence>`{3,}|~{3,})")
_RULE = re.compile(r"^[ \t]*([-*_])([ \t]*\1){2,}[ \t]*$")
_LEVEL = "    "


def _width(indent: str) -> int:
    return len(indent.expandtabs(4))


def normalize_lists(text: str) -> str:
    out: list[str] = []
    markers: list[int] = []  # the indent of each open item's marker, outermost first
    contents: list[int] = []  # the column where each of those items' text starts
    kinds: list[bool] = []  # whether each of those items is numbered
    fence: str | None = None
    fence_indent = 0
    previous_blank = True
    previous_item = False
    for line in text.split("\n"):
        stripped = line.lstrip(" \t")
        indent = _width(line[: len(line) - len(stripped)])
        if fence is not None:
            if stripped.startswith(fence) and not stripped.strip(fence[0]).strip():
                out.append(stripped)
                fence = None
            else:
                out.append(" " * max(0, indent - fence_indent) + stripped if stripped else "")
            previous_blank, previous_item = False, False
            continue
        opened = _FENCE.match(line)
        if opened:
            fence = opened.group("fence")
            fence_indent = indent
            if out and not previous_blank:
                out.append("")
            out.append(stripped)
            markers, contents, kinds = [], [], []
            previous_blank, previous_item = False, False
            continue
        if not stripped:
            out.append(line)
            previous_blank = True
            continue
        item = _ITEM.match(line) if not _RULE.match(line) else None
        if item:
            numbered = item.group("marker")[0].isdigit()
            sibling: bool | None = None
            while markers and markers[-1] >= indent:
                markers.pop(), contents.pop()
                sibling = kinds.pop()
            after_text = not previous_blank and not previous_item
            other_kind = sibling is not None and sibling != numbered
            if not previous_blank and ((after_text and sibling is None) or other_kind):
                out.append("")  # a list after a line of text, or bullets after numbers
            out.append(_LEVEL * len(markers) + stripped)
            markers.append(indent)
            contents.append(indent + len(item.group("marker")) + max(1, len(item.group("gap"))))
            kinds.append(numbered)
            previous_blank, previous_item = False, True
            continue
        if markers and previous_blank:
            # A paragraph after a blank line belongs to the deepest item it is indented under.
            while markers and contents[-1] > indent:
                markers.pop(), contents.pop(), kinds.pop()
        out.append(_LEVEL * len(markers) + stripped if markers and indent > 0 else line)
        previous_blank, previous_item = False, False
    return "\n".join(out)
