"""The notes format at its edges: line endings, numbering, code, concepts, large files."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pytest

from desktop.core.bank.questions import QuestionKind
from desktop.importers import parse_notes_file, parse_notes_text

WriteNotes = Callable[..., Path]

NOTES = """# My Notes

## 1 Basics

Intro prose for the basics section.

### Questions

**Q1**: What is a tensor?

**Expected Answer**:
- An n-dimensional array
- Lives on a device

---

**Q2**: Show the code.
It spans two lines.

**Expected Answer**:
```python
# not a heading
x = 1
---
```
**Gotcha**: mind the device.

## 2 Advanced

**Q1**: The numbering restarted.

**Expected Answer**: It did, and that is fine.
"""


def test_blocks_topics_and_restarted_numbering() -> None:
    notes = parse_notes_text(NOTES, source="notes.md")
    assert notes.title == "My Notes"
    q1, q2, q1_again = notes.questions
    assert (q1.identity, q2.identity, q1_again.identity) == ("qa:Q1", "qa:Q2", "qa:Q1#2")
    assert q1.topic == ("1 Basics", "Questions")
    assert q1_again.topic == ("2 Advanced",)
    assert q1.key_points == ("An n-dimensional array", "Lives on a device")
    assert q2.prompt == "Show the code.\nIt spans two lines."
    # A "# comment" and a "---" inside code neither start a topic nor end the answer.
    assert q2.reference == (
        "```python\n# not a heading\nx = 1\n---\n```\n**Gotcha**: mind the device."
    )
    assert q2.key_points == ("Gotcha: mind the device.",)
    assert q1_again.reference == "It did, and that is fine."
    assert q1_again.line == 30


def test_windows_line_endings_and_bom(write_notes: WriteNotes) -> None:
    path = write_notes("\ufeff" + NOTES.replace("\n", "\r\n"))
    notes = parse_notes_file(path)
    assert [q.line for q in notes.questions] == [9, 17, 30]
    assert "\r" not in notes.questions[1].reference


def test_without_a_single_title_every_heading_is_a_topic() -> None:
    text = (
        "# A\n\n**Q1**: One?\n\n**Expected Answer**: One.\n\n# B\n\n**Q2**: Two?\n\n**Answer**: 2\n"
    )
    notes = parse_notes_text(text, source="x.md", default_title="x")
    assert notes.title == "x"
    assert [q.topic for q in notes.questions] == [("A",), ("B",)]


def test_question_before_any_heading_has_no_topic() -> None:
    notes = parse_notes_text("**Q1**: Alone?\n\n**Expected Answer**: Yes.\n")
    assert notes.questions[0].topic == ()
    assert notes.questions[0].topic_path == ""


def test_trap_and_story_shapes() -> None:
    text = """## Traps

#### Trap 1: "Skew"

**Question**: What breaks at 2048?

**Wrong Answer**: "Nothing at all."

**Correct Answer** (From a blog):
- Positions beyond 512 are out of distribution

#### Story 1: The outage

**Scenario**: Deployed on Friday.

**Issue**: No timeout.

**Lesson**: **Set timeouts**
"""
    trap, story = parse_notes_text(text).questions
    assert trap.kind is QuestionKind.TRAP and trap.identity == "trap:1"
    assert trap.prompt == "What breaks at 2048?"
    assert trap.wrong_answer == "Nothing at all."
    assert trap.reference == (
        "- Positions beyond 512 are out of distribution\n\n*Source: From a blog*"
    )
    assert trap.key_points == ("Positions beyond 512 are out of distribution",)
    assert story.kind is QuestionKind.STORY and story.topic == ("Traps",)
    assert story.prompt == (
        "War story: The outage\n\nScenario: Deployed on Friday.\n\n"
        "What went wrong, and what is the lesson?"
    )
    assert story.reference == "**Issue**: No timeout.\n\n**Lesson**: **Set timeouts**"
    assert story.key_points == ("Issue: No timeout.", "Lesson: Set timeouts")


def test_concept_cards_only_when_asked() -> None:
    assert all(q.kind is QuestionKind.QA for q in parse_notes_text(NOTES).questions)
    notes = parse_notes_text(NOTES, include_concepts=True)
    assert notes.concepts_included
    concepts = [q for q in notes.questions if q.kind is QuestionKind.CONCEPT]
    # "1 Basics" has prose; "Questions" and "2 Advanced" hold questions, not prose.
    assert [c.identity for c in concepts] == ["concept:1 Basics"]
    assert concepts[0].reference == "Intro prose for the basics section."
    assert concepts[0].prompt == "Explain 1 Basics."
    assert concepts[0].key_points == ("Intro prose for the basics section.",)


def test_seed_concepts_are_extra_cards(seed_notes: Path) -> None:
    notes = parse_notes_file(seed_notes, include_concepts=True)
    kinds = Counter(q.kind for q in notes.questions)
    assert kinds[QuestionKind.QA] == 25 and kinds[QuestionKind.TRAP] == 7
    assert kinds[QuestionKind.CONCEPT] > 50
    autograd = next(q for q in notes.questions if q.topic_path.endswith("Autograd Mechanism"))
    assert autograd.identity == "concept:13.1 PyTorch > Autograd Mechanism"
    assert autograd.line == 74
    assert len({q.identity for q in notes.questions}) == len(notes.questions)


@pytest.mark.parametrize("count", [10_000])
def test_a_large_generated_file(
    count: int, write_notes: WriteNotes, generated_notes: Callable[[int], str]
) -> None:
    path = write_notes(generated_notes(count), name="large.md")
    notes = parse_notes_file(path)
    assert len(notes.questions) == count
    kinds = Counter(q.kind for q in notes.questions)
    assert kinds[QuestionKind.TRAP] == count // 25
    assert notes.questions[-1].line > 100_000
