"""Helpers for importer tests: writing small notes files and generating large ones."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

WriteNotes = Callable[..., Path]


@pytest.fixture
def write_notes(tmp_path: Path) -> WriteNotes:
    """write_notes(text, name="notes.md", encoding="utf-8") -> the file's path."""

    def write(text: str | bytes, name: str = "notes.md", encoding: str = "utf-8") -> Path:
        path = tmp_path / name
        path.write_bytes(text if isinstance(text, bytes) else text.encode(encoding))
        return path

    return write


@pytest.fixture
def generated_notes() -> Callable[[int], str]:
    """generated_notes(n) -> the text of a notes file with n questions."""
    return make_notes


def make_notes(questions: int, *, per_section: int = 50) -> str:
    """A notes file in the seed's shape: mostly qa blocks with code, a trap and a story in every
    section."""
    parts = ["# Generated Interview Notes", ""]
    number = 0
    section = 0
    while number < questions:
        section += 1
        parts += [f"## {section}. Section {section}", "", "### Questions", ""]
        for _ in range(min(per_section, questions - number)):
            number += 1
            if number % 25 == 0:
                parts += [
                    f'#### Trap {number}: "Trap {number}"',
                    "",
                    f"**Question**: What goes wrong in case {number}?",
                    "",
                    '**Wrong Answer**: "Nothing."',
                    "",
                    "**Correct Answer**:",
                    f"- Point one of {number}",
                    "- Point two",
                    "",
                    "---",
                    "",
                ]
            elif number % 40 == 0:
                parts += [
                    f"#### Story {number}: Incident {number}",
                    "",
                    f"**Scenario**: Service {number} went down.",
                    "",
                    "**Issue**: A missing timeout.",
                    "",
                    "**Lesson**: **Always set timeouts**",
                    "",
                    "---",
                    "",
                ]
            else:
                parts += [
                    f"**Q{number}**: Explain topic {number}. When would you use it?",
                    "",
                    "**Expected Answer**:",
                    f"1. **Idea {number}**: the main idea",
                    "   - a nested detail",
                    "2. Second step with `code`",
                    "```python",
                    f"def answer_{number}():",
                    "    # a comment, not a heading",
                    f"    return {number}",
                    "```",
                    "",
                    "**Gotcha**: mind the edge cases.",
                    "",
                    "---",
                    "",
                ]
            if number % per_section == 0:
                break
    return "\n".join(parts) + "\n"
