"""Files the importer refuses, each with a message naming the file (and line where it applies)."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

import pytest

from desktop.core.bank.notes_markdown.key_points import MAX_LIST_DEPTH
from desktop.core.errors import NotesFormatError
from desktop.importers import (
    MAX_NOTES_BYTES,
    extract_key_points,
    parse_notes_file,
    parse_notes_text,
    resolve_notes_path,
)

WriteNotes = Callable[..., Path]

GOOD_BLOCK = "**Q1**: What is a tensor?\n\n**Expected Answer**: An n-dimensional array.\n"


def _refused(path: Path) -> NotesFormatError:
    with pytest.raises(NotesFormatError) as caught:
        parse_notes_file(path)
    error = caught.value
    assert error.path == str(path)
    assert str(path) in str(error)
    return error


def test_binary_file(write_notes: WriteNotes) -> None:
    error = _refused(write_notes(b"\x00\x01\x02binary\x00stuff" * 100, name="image.md"))
    assert "binary" in error.problem
    assert error.line is None


def test_known_binary_formats_are_named(write_notes: WriteNotes) -> None:
    assert "PDF" in _refused(write_notes(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", name="a.md")).problem
    assert "ZIP" in _refused(write_notes(b"PK\x03\x04rest", name="b.md")).problem


def test_non_utf8_file_names_the_line(write_notes: WriteNotes) -> None:
    text = "# Notes\n\n" + GOOD_BLOCK + "\nCaf\xe9 au lait\n"
    error = _refused(write_notes(text, encoding="latin-1"))
    assert "UTF-8" in error.problem
    assert error.line == 7
    assert f"{error.path}:7:" in str(error)


def test_utf16_file_is_explained(write_notes: WriteNotes) -> None:
    error = _refused(write_notes("\ufeff" + GOOD_BLOCK, encoding="utf-16-le"))
    assert "UTF-16" in error.problem


def test_empty_file(write_notes: WriteNotes) -> None:
    assert _refused(write_notes("")).problem == "is empty"
    assert _refused(write_notes(" \n\n\t\n", name="blank.md")).problem == "is empty"


def test_file_without_questions(write_notes: WriteNotes) -> None:
    error = _refused(write_notes("# Notes\n\nSome prose about PyTorch.\n\n## More\n\nText.\n"))
    assert "no questions" in error.problem


def test_file_over_the_size_limit_is_refused_without_reading_it(tmp_path: Path) -> None:
    huge = tmp_path / "huge.md"
    with huge.open("wb") as handle:
        handle.truncate(50 * 1024 * 1024)  # sparse: 50 MB of NUL bytes, none written
    started = time.perf_counter()
    error = _refused(huge)
    elapsed = time.perf_counter() - started
    # Had it been read, the NUL bytes would have made it "binary"; the size check came first.
    assert "too large" in error.problem
    assert "50 MB" in error.problem and "20 MB" in error.problem
    assert elapsed < 5  # generous: refusing should take microseconds


def test_size_limit_is_a_parameter(write_notes: WriteNotes) -> None:
    path = write_notes(GOOD_BLOCK * 10)
    with pytest.raises(NotesFormatError, match="too large"):
        parse_notes_file(path, max_bytes=100)
    assert MAX_NOTES_BYTES == 20 * 1024 * 1024


def test_missing_file_and_folder(tmp_path: Path) -> None:
    assert "no such file" in _refused(tmp_path / "missing.md").problem
    assert "folder" in _refused(tmp_path).problem


def test_question_without_answer_names_its_line(write_notes: WriteNotes) -> None:
    text = "# Notes\n\n" + GOOD_BLOCK + "\n---\n\n**Q2**: What is autograd?\n"
    error = _refused(write_notes(text))
    assert error.line == 9
    assert "Q2 has no answer" in error.problem


def test_question_cut_off_before_the_next_one(write_notes: WriteNotes) -> None:
    text = "**Q1**: First?\n\n**Q2**: Second?\n\n**Expected Answer**: Two.\n"
    error = _refused(write_notes(text))
    assert error.line == 1
    assert "Q1 has no answer" in error.problem


def test_answer_label_with_nothing_after_it(write_notes: WriteNotes) -> None:
    error = _refused(write_notes(GOOD_BLOCK + "\n**Q2**: Second?\n\n**Expected Answer**:\n\n"))
    assert error.line == 7
    assert "empty answer" in error.problem


def test_truncated_code_block(write_notes: WriteNotes) -> None:
    text = GOOD_BLOCK + "\n**Q2**: Show code.\n\n**Expected Answer**:\n```python\nx = 1\n"
    error = _refused(write_notes(text))
    assert error.line == 8
    assert "never closed" in error.problem


def test_trap_without_correct_answer(write_notes: WriteNotes) -> None:
    text = (
        GOOD_BLOCK
        + '\n#### Trap 1: "Skew"\n\n**Question**: What breaks?\n\n**Wrong Answer**: "Nothing."\n'
    )
    error = _refused(write_notes(text))
    assert error.line == 5
    assert "Trap 1 has no **Correct Answer**" in error.problem


def test_trap_without_question(write_notes: WriteNotes) -> None:
    text = '#### Trap 2: "Skew"\n\n**Correct Answer**: Positions.\n'
    assert "no **Question**" in _refused(write_notes(text)).problem


def test_story_with_only_a_scenario(write_notes: WriteNotes) -> None:
    text = "#### Story 1: Outage\n\n**Scenario**: It broke.\n"
    error = _refused(write_notes(text))
    assert error.line == 1
    assert "Story 1" in error.problem


def test_text_errors_name_the_given_source() -> None:
    with pytest.raises(NotesFormatError, match=r"^pasted:1: question Q1 has no answer"):
        parse_notes_text("**Q1**: Alone\n", source="pasted")


@pytest.mark.parametrize("piece", ["*a ", "_a ", "__a ", "[a ", "`a "])
def test_an_answer_of_endless_unclosed_markers_reads_in_linear_time(
    tmp_path: Path, piece: str
) -> None:
    notes = tmp_path / "markers.md"
    notes.write_text(
        "# Notes\n\n**Q1**: What is a marker?\n\n**Expected Answer**: " + piece * 100_000 + "\n",
        encoding="utf-8",
    )
    started = time.perf_counter()
    parsed = parse_notes_file(notes)
    assert time.perf_counter() - started < 5  # it took minutes when each try ran to the end
    assert len(parsed.questions) == 1


def test_a_list_nested_too_deep_is_refused_with_the_limit(write_notes: WriteNotes) -> None:
    items = "".join("  " * depth + f"- level {depth}\n" for depth in range(1000))
    error = _refused(write_notes("# Notes\n\n**Q1**: Deep?\n\n**Expected Answer**:\n" + items))
    assert error.line == 6 + MAX_LIST_DEPTH
    assert f"nested more than {MAX_LIST_DEPTH} levels" in error.problem


def test_a_list_at_the_depth_limit_is_read() -> None:
    items = "".join("  " * depth + f"- level {depth}\n" for depth in range(MAX_LIST_DEPTH))
    notes = parse_notes_text("**Q1**: Deep?\n\n**Expected Answer**:\n" + items)
    assert notes.questions[0].key_points[0].startswith("level 0")


def test_key_points_of_any_depth_never_exhaust_the_stack() -> None:
    items = "".join("  " * depth + f"- level {depth}\n" for depth in range(5000))
    assert extract_key_points(items)


def test_a_symbolic_link_loop_is_refused(tmp_path: Path) -> None:
    first, second = tmp_path / "a.md", tmp_path / "b.md"
    first.symlink_to(second)
    second.symlink_to(first)
    assert "loops" in _refused(first).problem
    with pytest.raises(NotesFormatError, match="symbolic link that loops"):
        resolve_notes_path(first)
