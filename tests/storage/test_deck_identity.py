"""Notes find their deck: by path, by the name the learner gives, by content under another file
name; a deck is named from the notes' title; duplicates are warned about before any write."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from desktop.core.bank.store import ALL_STATUSES, QuestionFilter
from desktop.core.errors import VivaError
from desktop.importers import parse_notes_file
from desktop.storage.question_bank import QuestionBank

EVERYTHING = QuestionFilter(statuses=ALL_STATUSES)


def _copy(seed: Path, folder: Path, name: str, edit: tuple[str, str] | None = None) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / name
    shutil.copyfile(seed, target)
    if edit is not None:
        text = target.read_text(encoding="utf-8")
        assert edit[0] in text
        target.write_text(text.replace(edit[0], edit[1]), encoding="utf-8")
    return target


def test_the_same_notes_under_another_file_name_add_nothing(
    bank: QuestionBank, seed_notes: Path, tmp_path: Path
) -> None:
    first = bank.apply_import([parse_notes_file(seed_notes)])
    assert first.added == 36
    assert [(d.name, d.is_new) for d in first.decks] == [("Frameworks and Tools", True)]
    ids = {q.identity: q.id for q in bank.questions(EVERYTHING)}

    copy = _copy(seed_notes, tmp_path / "mine", "000_1cd90e0c9824386e.txt")
    again = bank.apply_import([parse_notes_file(copy)])
    assert (again.added, again.unchanged, again.warnings) == (0, 36, ())
    assert [(d.name, d.is_new) for d in again.decks] == [("Frameworks and Tools", False)]
    assert [deck.name for deck in bank.decks()] == ["Frameworks and Tools"]
    assert {q.identity: q.id for q in bank.questions(EVERYTHING)} == ids


def test_an_edited_copy_updates_its_deck_in_place(
    bank: QuestionBank, seed_notes: Path, tmp_path: Path
) -> None:
    bank.apply_import([parse_notes_file(seed_notes)])
    before = {q.identity: q.id for q in bank.questions(EVERYTHING)}
    edited = _copy(
        seed_notes,
        tmp_path / "edited",
        "my notes.md",
        ("4-bit quantization + LoRA", "4-bit NF4 quantization + LoRA adapters"),
    )
    summary = bank.apply_import([parse_notes_file(edited)])
    assert (summary.added, summary.updated, summary.retired) == (0, 1, 0)
    assert len(bank.decks()) == 1 and bank.decks()[0].source_path == str(edited)
    assert {q.identity: q.id for q in bank.questions(EVERYTHING)} == before


def test_part_of_a_deck_in_a_new_file_is_a_new_deck_with_a_warning(
    bank: QuestionBank, seed_notes: Path, tmp_path: Path
) -> None:
    bank.apply_import([parse_notes_file(seed_notes)])
    text = seed_notes.read_text(encoding="utf-8")
    part = tmp_path / "pytorch.md"
    part.write_text(text[: text.index("### HuggingFace Questions")], encoding="utf-8")
    preview = bank.apply_import([parse_notes_file(part)], dry_run=True)
    assert preview.added == 5 and preview.decks[0].is_new
    assert preview.decks[0].name == "Frameworks and Tools (2)"
    assert len(preview.warnings) == 1
    assert "5 of the new questions" in preview.warnings[0]
    assert '"Frameworks and Tools"' in preview.warnings[0]
    assert bank.count(EVERYTHING) == 36  # a preview writes nothing


def test_the_learner_names_and_renames_a_deck(
    bank: QuestionBank, seed_notes: Path, tmp_path: Path
) -> None:
    named = bank.apply_import([parse_notes_file(seed_notes)], deck_names={str(seed_notes): "ML"})
    assert [d.name for d in bank.decks()] == ["ML"] and named.decks[0].is_new
    renamed = bank.apply_import(
        [parse_notes_file(seed_notes)], deck_names={str(seed_notes): "Frameworks"}
    )
    assert renamed.decks[0].previous_name == "ML" and renamed.changes_anything
    assert [d.name for d in bank.decks()] == ["Frameworks"]
    assert bank.count(QuestionFilter(deck="Frameworks")) == 36

    other = tmp_path / "other.md"
    other.write_text("# Other\n\n**Q1**: What is a queue?\n\n**Expected Answer**: FIFO.\n")
    bank.apply_import([parse_notes_file(other)])
    with pytest.raises(VivaError, match='A deck named "Other" already exists'):
        bank.apply_import([parse_notes_file(seed_notes)], deck_names={str(seed_notes): "Other"})
    assert [d.name for d in bank.decks()] == ["Frameworks", "Other"]


def test_a_reactivated_question_is_a_change_to_import(
    bank: QuestionBank, seed_notes: Path, tmp_path: Path
) -> None:
    notes = _copy(seed_notes, tmp_path, "notes.md")
    bank.apply_import([parse_notes_file(notes)])
    text = notes.read_text(encoding="utf-8")
    start = text.index("**Q3**:")
    end = text.index("**Q4**:")
    notes.write_text(text[:start] + text[end:], encoding="utf-8")
    assert bank.apply_import([parse_notes_file(notes)]).retired == 1
    notes.write_text(text, encoding="utf-8")
    preview = bank.apply_import([parse_notes_file(notes)], dry_run=True)
    assert (preview.added, preview.updated, preview.reactivated) == (0, 0, 1)
    assert preview.changes_anything
