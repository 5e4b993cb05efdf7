"""Property-based fuzzing of the notes importer: the built-in notes (and a small file) with lines
and blocks deleted, duplicated, swapped and cut off, markers inserted, lists nested deep and
lines made long. Whatever comes in, the importer reads it or refuses it with its own error
(`NotesFormatError`, or `RetirementNotConfirmed` for an import that would retire many
questions) in time linear in the size of the file, never folds something that looks like a
question heading into an answer without a warning, and a refused import leaves the database
exactly as it was."""

from __future__ import annotations

import re
import shutil
import sqlite3
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import event, example, given, settings
from hypothesis import strategies as st

from desktop.core.bank.notes_markdown.lines import LineKind, scan
from desktop.core.bank.retiring import RetirementNotConfirmed
from desktop.core.errors import NotesFormatError
from desktop.importers import parse_notes_text
from desktop.services.notes_import import apply_notes, parse_files
from desktop.storage.database import Database
from tests.sqlite_rows import every_row

BANK = Path(__file__).resolve().parents[2] / "resources" / "bank"
SEED = (BANK / "frameworks-and-tools.md").read_text(encoding="utf-8")
SMALL = """# Small Notes

## Basics

**Q1**: What is a tensor?

**Expected Answer**:
- An n-dimensional array
  - with a dtype and a device

---

**Q2**: What does autograd do?

**Expected Answer**: It records operations and replays them backwards.

---

#### Trap 1: "Leak"

**Question**: Validation beats training. Good?

**Wrong Answer**: "Yes."

**Correct Answer**: A red flag: look for leakage.

#### Story 1: Outage

**Scenario**: The service went down.

**Issue**: A missing timeout.

**Lesson**: **Always set timeouts**
"""
BASES = [SEED, SMALL, *(path.read_text(encoding="utf-8") for path in sorted(BANK.glob("*.md")))]

MARKERS = [
    "**Q7**: An inserted question?",
    "**Expected Answer**:",
    "**Expected Answer**: inserted",
    "---",
    "```",
    "```python",
    "~~~",
    "# A second title",
    "### A heading",
    "#### Trap 9: inserted",
    "#### Story 3: inserted",
    "**Question**:",
    "**Correct Answer**:",
    "**Scenario**:",
    "*Q5**: A malformed heading?",
    "**Q 5**: Another malformed heading?",
    "Q5: A bare heading?",
    "**Q**: No number?",
    "| a | b |",
    "> a quote",
    "- an item",
    "**",
    "",
]
LONG_PIECES = ["*a ", "_a ", "__a ", "[a ", "`a ", "**b** ", "x", "- ", "> ", "| ", "#"]

# Reading time allowed: generous, but linear in the size of the notes.
BASE_SECONDS = 1.5
SECONDS_PER_CHAR = 20e-6


@dataclass(frozen=True)
class Mutation:
    kind: str
    at: float  # where, as a share of the lines
    size: int
    piece: str = ""


def _apply(lines: list[str], mutation: Mutation) -> list[str]:
    at = int(mutation.at * len(lines))
    end = min(len(lines), at + mutation.size)
    if mutation.kind == "delete":
        return lines[:at] + lines[end:]
    if mutation.kind == "duplicate":
        return lines[:end] + lines[at:end] + lines[end:]
    if mutation.kind == "swap_blocks":
        blocks = "\n".join(lines).split("\n---\n")
        if len(blocks) > 2:
            first = int(mutation.at * (len(blocks) - 1))
            second = (first + mutation.size) % len(blocks)
            blocks[first], blocks[second] = blocks[second], blocks[first]
        return "\n---\n".join(blocks).split("\n")
    if mutation.kind == "truncate":
        return lines[:at]
    if mutation.kind == "marker":
        return [*lines[:at], mutation.piece, *lines[at:]]
    if mutation.kind == "deep_list":
        deep = ["  " * depth + f"- level {depth}" for depth in range(mutation.size)]
        return [*lines[:at], "", *deep, "", *lines[at:]]
    if mutation.kind == "long_line":
        return [*lines[:at], mutation.piece * mutation.size, *lines[at:]]
    raise AssertionError(mutation.kind)


MUTATIONS = st.one_of(
    st.builds(
        Mutation,
        st.sampled_from(["delete", "duplicate", "swap_blocks", "truncate"]),
        st.floats(0, 1),
        st.integers(1, 400),
    ),
    st.builds(Mutation, st.just("marker"), st.floats(0, 1), st.just(0), st.sampled_from(MARKERS)),
    st.builds(Mutation, st.just("deep_list"), st.floats(0, 1), st.integers(1, 1200)),
    st.builds(
        Mutation,
        st.just("long_line"),
        st.floats(0, 1),
        st.integers(1, 60_000),
        st.sampled_from(LONG_PIECES),
    ),
)


@st.composite
def mutated_notes(draw: st.DrawFn) -> str:
    lines = draw(st.sampled_from(BASES)).split("\n")
    for mutation in draw(st.lists(MUTATIONS, max_size=4)):
        lines = _apply(lines, mutation)
    return "\n".join(lines)


def _renumbered_seed() -> str:
    start = SEED.index("**Q1**:")
    rest = re.sub(
        r"^\*\*Q(\d+)\*\*", lambda m: f"**Q{int(m.group(1)) + 1}**", SEED[start:], flags=re.M
    )
    inserted = (
        "**Q1**: What is a CUDA stream?\n\n**Expected Answer**: A queue of GPU work.\n\n---\n\n"
    )
    return SEED[:start] + inserted + rest


DEEP_LIST = SMALL + "\n" + "\n".join("  " * depth + "- deeper" for depth in range(1000)) + "\n"
CUT_AT_A_BLOCK = SEED[: SEED.index("### HuggingFace Questions")]
ENDLESS_MARKERS = SMALL + "\n**Q9**: Markers?\n\n**Expected Answer**: " + "*a " * 100_000 + "\n"
MALFORMED_HEADING = SEED.replace("**Q5**:", "*Q5**:", 1)
LONG_LINE = SMALL + "\n" + "[a " * 300_000 + "\n"

# The start of a question as a person would type it, slips included.
_QUESTION_LIKE = re.compile(r"^[ \t]*(?:[*_]{1,3}[ \t]*)?Q[ \t]*\d+[ \t]*(?:[*_]|:)")


def _question_like_lines(text: str) -> list[int]:
    scanned = scan(text)
    return [
        index + 1
        for index, (line, kind) in enumerate(zip(scanned.lines, scanned.kinds, strict=True))
        if kind is LineKind.TEXT and _QUESTION_LIKE.match(line)
    ]


def _read_within_bound(text: str) -> None:
    started = time.perf_counter()
    try:
        notes = parse_notes_text(text, source="fuzz.md")
    except NotesFormatError as error:
        assert error.path == "fuzz.md" and error.problem
        event("refused")
        notes = None
    elapsed = time.perf_counter() - started
    assert elapsed < BASE_SECONDS + SECONDS_PER_CHAR * len(text), (elapsed, len(text))
    if notes is None:
        return
    event("read, with warnings" if notes.warnings else "read")
    identities = [question.identity for question in notes.questions]
    assert len(identities) == len(set(identities))
    assert all(question.prompt and question.reference for question in notes.questions)
    starts = {question.line for question in notes.questions}
    warned = {int(warning.split(":")[1]) for warning in notes.warnings}
    for line in _question_like_lines(text):
        assert line in starts or line in warned, f"line {line} folded silently"


@settings(max_examples=300, deadline=None, database=None)
@given(mutated_notes())
@example(DEEP_LIST)
@example(CUT_AT_A_BLOCK)
@example(ENDLESS_MARKERS)
@example(MALFORMED_HEADING)
@example(LONG_LINE)
@example(_renumbered_seed())
@example("**Q1**: Alone\n")
@example("")
def test_any_notes_are_read_or_refused_clearly_in_linear_time(text: str) -> None:
    _read_within_bound(text)


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, Path]]:
    """A database holding the built-in notes, imported from `notes.md` in its folder."""
    folder = tmp_path_factory.mktemp("fuzz-bank")
    notes = folder / "notes.md"
    notes.write_text(SEED, encoding="utf-8")
    database = Database.open(folder / "seeded.sqlite3")
    apply_notes(database, parse_files([notes]))
    database.close()
    yield folder / "seeded.sqlite3", notes


@dataclass(frozen=True)
class NotesCase:
    text: str
    layout: str = "file"  # or "link" (a symbolic link to the notes) or "loop" (a link loop)


CASES = st.builds(NotesCase, mutated_notes(), st.sampled_from(["file", "file", "file", "link"]))


def _place(case: NotesCase, notes: Path) -> Path:
    """Writes the case where the deck's notes are; the path to import."""
    for path in (notes, notes.with_name("link.md")):
        path.unlink(missing_ok=True)
    if case.layout == "loop":
        notes.symlink_to(notes)
        return notes
    notes.write_text(case.text, encoding="utf-8")
    if case.layout == "link":
        link = notes.with_name("link.md")
        link.symlink_to(notes)
        return link
    return notes


@settings(max_examples=80, deadline=None, database=None)
@given(CASES)
@example(NotesCase(CUT_AT_A_BLOCK))
@example(NotesCase(_renumbered_seed()))
@example(NotesCase(DEEP_LIST))
@example(NotesCase(SEED, "loop"))
@example(NotesCase(MALFORMED_HEADING))
@example(NotesCase(""))
def test_an_import_applies_or_refuses_leaving_the_database_unchanged(
    seeded: tuple[Path, Path], case: NotesCase
) -> None:
    pristine, notes = seeded
    copy = pristine.with_name("run.sqlite3")
    for leftover in copy.parent.glob("run.sqlite3*"):
        leftover.unlink()
    shutil.copyfile(pristine, copy)
    before = every_row(copy)
    path = _place(case, notes)
    database = Database.open(copy)
    try:
        summary = apply_notes(database, parse_files([path]))
    except (NotesFormatError, RetirementNotConfirmed) as refused:
        event(f"refused: {type(refused).__name__}")
        assert str(refused)
        database.close()
        assert every_row(copy) == before
        return
    database.close()
    event("imported")
    assert not summary.large_retirements  # imported only when it retired little
    conn = sqlite3.connect(copy)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    finally:
        conn.close()
