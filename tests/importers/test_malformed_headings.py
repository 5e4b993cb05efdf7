"""A line that looks like a question's start but is not read as one is a warning, never a
question silently folded into the previous answer."""

from __future__ import annotations

from pathlib import Path

import pytest

from desktop.importers import parse_notes_text

SEED = Path(__file__).resolve().parents[2] / "resources" / "bank" / "frameworks-and-tools.md"

NOTES = """# Notes

**Q1**: What is a tensor?

**Expected Answer**: An n-dimensional array.

{second}

**Expected Answer**: Automatic differentiation.
"""


def test_the_built_in_notes_raise_no_warning() -> None:
    assert parse_notes_text(SEED.read_text(encoding="utf-8")).warnings == ()


@pytest.mark.parametrize(
    "heading",
    [
        "*Q2**: What is autograd?",
        "**Q2*: What is autograd?",
        "**Q 2**: What is autograd?",
        "Q2: What is autograd?",
        " **Q2**: What is autograd?",
        "__Q2__: What is autograd?",
        "**Q**: What is autograd?",
        "**Question 2**: What is autograd?",
    ],
)
def test_a_malformed_heading_is_a_warning_naming_its_line(heading: str) -> None:
    notes = parse_notes_text(NOTES.format(second=heading), source="/notes/mine.md")
    assert len(notes.questions) == 1  # still read as part of Q1's answer, but not silently
    (warning,) = notes.warnings
    assert warning.startswith(f'mine.md:7: "{heading.strip()}" looks like a question heading')
    assert "read as part of the answer to Q1" in warning


def test_a_lost_question_line_leaves_a_second_answer_label() -> None:
    notes = parse_notes_text(NOTES.format(second="What is autograd?"), source="mine.md")
    (warning,) = notes.warnings
    assert warning.startswith("mine.md:9: a second answer label in the answer to Q1")


def test_an_answer_after_a_rule_without_its_question_is_a_warning() -> None:
    text = NOTES.format(second="---\n\nWhat is autograd?")
    (warning,) = parse_notes_text(text, source="mine.md").warnings
    assert warning.startswith("mine.md:11: an answer label that follows no question")
    assert "not imported as a question" in warning


def test_a_well_formed_second_question_raises_none() -> None:
    notes = parse_notes_text(NOTES.format(second="**Q2**: What is autograd?"))
    assert len(notes.questions) == 2 and notes.warnings == ()
