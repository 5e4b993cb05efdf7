"""The composition functions: importing files, and the built-in bank on first start."""

from __future__ import annotations

from pathlib import Path

import pytest

from desktop.core.errors import NotesFormatError
from desktop.services.notes_import import ensure_builtin_bank, import_files, parse_files
from desktop.storage.database import Database
from desktop.storage.question_bank import QuestionBank


def test_builtin_bank_is_imported_once(database: Database) -> None:
    first = ensure_builtin_bank(database)
    assert first is not None
    assert (first.added, first.by_kind["qa"], first.by_kind["trap"], first.by_kind["story"]) == (
        36,
        25,
        7,
        4,
    )
    assert ensure_builtin_bank(database) is None
    assert QuestionBank(database).count() == 36


def test_builtin_bank_is_not_imported_into_a_bank_with_decks(
    database: Database, tmp_path: Path
) -> None:
    mine = tmp_path / "mine.md"
    mine.write_text("**Q1**: Mine?\n\n**Expected Answer**: Yes.\n", encoding="utf-8")
    import_files(database, [mine])
    assert ensure_builtin_bank(database) is None
    assert [deck.name for deck in QuestionBank(database).decks()] == ["mine"]


def test_no_builtin_files_means_nothing_to_do(database: Database) -> None:
    assert ensure_builtin_bank(database, files=[]) is None
    assert not QuestionBank(database).has_decks()


def test_import_files_parses_everything_before_writing(
    database: Database, tmp_path: Path, seed_notes: Path
) -> None:
    bad = tmp_path / "bad.md"
    bad.write_text("**Q1**: No answer\n", encoding="utf-8")
    with pytest.raises(NotesFormatError):
        import_files(database, [seed_notes, bad])
    assert not QuestionBank(database).has_decks()

    summary = import_files(database, [seed_notes, seed_notes], dry_run=True)
    assert summary.dry_run and summary.added == 36 and len(summary.files) == 1
    assert not QuestionBank(database).has_decks()


def test_parse_files_gives_absolute_paths(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "n.md").write_text("**Q1**: A?\n\n**Expected Answer**: B.\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    (notes,) = parse_files([Path("n.md"), tmp_path / "n.md"])
    assert notes.path == str((tmp_path / "n.md").resolve())
