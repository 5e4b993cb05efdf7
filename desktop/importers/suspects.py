"""Lines that look like the start of a question but are not read as one.

A question starts at a `**Q<n>**:` line; anything else is part of the block above it. So a
heading with a slip in it (`*Q5**:`, `**Q 5**`, `Q5:`, ` **Q5**:` indented) would be folded into
the previous answer, and a question whose `**Q<n>**` line is lost leaves its
`**Expected Answer**:` inside another answer, or after a `---` where nothing reads it. Each of
these becomes a warning naming the line, so the preview says what it could not tell apart.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from desktop.core.bank.notes_markdown.inline import clip
from desktop.core.bank.notes_markdown.lines import LineKind
from desktop.importers.blocks import ANSWER_LABELS, Block

# "Q5", "Q 5", "Question 5" or a bare "Q" right before bold/italic markers or a separator,
# at the start of a line, perhaps after markers: `*Q5**:`, `**Q 5**`, `Q5:`, `__Q5__`, `**Q**:`.
_LOOKS_LIKE_QUESTION = re.compile(
    r"^[ \t]*(?:[*_]{1,3}[ \t]*)?Q(?:uestion[ \t]*\d+|[ \t]*\d+|(?=[*_]))[ \t]*(?:[*_]|[:.)])",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class ReadBlock:
    """A block of the notes as the reader took it: `owner` names the question it belongs to
    ("Q4", "Trap 2", "Story 1"), None for prose; `is_qa` when it is a `**Q<n>**` question;
    `leading` for the text before the first heading, rule or question (its first line is
    text, not a boundary)."""

    block: Block
    owner: str | None
    is_qa: bool = False
    leading: bool = False


def _where(block: Block, index: int) -> str:
    return f"{Path(block.source).name}:{index + 1}"


def _read_as(read: ReadBlock) -> str:
    if read.owner is None:
        return "not imported as a question"
    return f"read as part of {read.owner}"


def _suspects_in(read: ReadBlock) -> list[str]:
    block = read.block
    found: list[str] = []
    suspect_lines: list[int] = []
    for index in range(block.start + (0 if read.leading else 1), block.end):
        line = block.lines[index]
        if block.kinds[index] is LineKind.TEXT and _LOOKS_LIKE_QUESTION.match(line):
            suspect_lines.append(index)
            found.append(
                f'{_where(block, index)}: "{clip(line.strip(), 60)}" looks like a question '
                f"heading but is not one (a question starts with **Q<n>**: and its text), "
                f"so it is {_read_as(read)}"
            )
    answers = [label for label in block.labels() if label.name in ANSWER_LABELS]
    extra = answers[1:] if read.is_qa else answers if read.owner is None else []
    for label in extra:
        if any(block.start <= index < label.index for index in suspect_lines):
            continue  # its question's malformed heading was reported already
        problem = (
            f"a second answer label in {read.owner}"
            if read.owner is not None
            else "an answer label that follows no question"
        )
        found.append(
            f"{_where(block, label.index)}: {problem}: is the **Q<n>**: line of a question "
            f"above it missing or malformed? It is {_read_as(read)}."
        )
    return found


def malformed_headings(blocks: Sequence[ReadBlock]) -> list[str]:
    """A warning for every line that looks like the start of a question but was not read as
    one, in the order of the notes."""
    return [warning for read in blocks for warning in _suspects_in(read)]
