"""One pass over a Markdown file's lines: which are code, headings, rules or text.

Everything else in the importer works on this classification, so a `# comment` inside a fenced
code block is never taken for a heading and a `---` inside code never ends a block.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import Enum

_HEADING = re.compile(r"^ {0,3}(#{1,6})[ \t]+(.*?)(?:[ \t]+#+)?[ \t]*$")
_EMPTY_HEADING = re.compile(r"^ {0,3}(#{1,6})[ \t]*$")
_RULE = re.compile(r"^ {0,3}(?:(?:-[ \t]*){3,}|(?:\*[ \t]*){3,}|(?:_[ \t]*){3,})$")
_FENCE = re.compile(r"^[ \t]*(`{3,}|~{3,})(.*)$")


class LineKind(Enum):
    TEXT = "text"
    BLANK = "blank"
    HEADING = "heading"
    RULE = "rule"
    FENCE = "fence"  # an opening or closing fence line
    CODE = "code"  # a line inside a fenced code block


@dataclass(frozen=True)
class Heading:
    index: int  # 0-based line index
    level: int
    text: str


@dataclass(frozen=True)
class ScannedLines:
    """The file's lines (without line endings) and what each one is."""

    lines: list[str]
    kinds: list[LineKind]
    headings: list[Heading]
    unclosed_fence: int | None  # 0-based index of a fence that is never closed


def split_lines(text: str) -> list[str]:
    """Splits on \\n, \\r\\n and \\r only (str.splitlines also splits on form feeds and more,
    which would shift line numbers away from what an editor shows)."""
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    return lines


def scan(text: str) -> ScannedLines:
    lines = split_lines(text)
    kinds: list[LineKind] = []
    headings: list[Heading] = []
    fence_char = ""
    fence_len = 0
    fence_start: int | None = None
    for index, line in enumerate(lines):
        if fence_char:
            match = _FENCE.match(line)
            if (
                match
                and match.group(1)[0] == fence_char
                and len(match.group(1)) >= fence_len
                and not match.group(2).strip()
            ):
                kinds.append(LineKind.FENCE)
                fence_char = ""
                fence_start = None
            else:
                kinds.append(LineKind.CODE)
            continue
        if not line.strip():
            kinds.append(LineKind.BLANK)
            continue
        first = line.lstrip()[:1]
        if first in "`~":
            match = _FENCE.match(line)
            if match and not (match.group(1)[0] == "`" and "`" in match.group(2)):
                fence_char = match.group(1)[0]
                fence_len = len(match.group(1))
                fence_start = index
                kinds.append(LineKind.FENCE)
                continue
        if first == "#":
            match = _HEADING.match(line)
            if match:
                kinds.append(LineKind.HEADING)
                headings.append(Heading(index, len(match.group(1)), match.group(2).strip()))
                continue
            if _EMPTY_HEADING.match(line):
                kinds.append(LineKind.HEADING)
                headings.append(Heading(index, len(line.strip()), ""))
                continue
        if first in "-*_" and _RULE.match(line):
            kinds.append(LineKind.RULE)
            continue
        kinds.append(LineKind.TEXT)
    return ScannedLines(lines, kinds, headings, fence_start)
