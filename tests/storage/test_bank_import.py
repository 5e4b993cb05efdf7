"""Applying imports: idempotence, in-place updates that keep history, retiring, reactivating,
edits made in the app, dry runs, decks, and one transaction per import."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from pathlib import Path

import pytest

from desktop.core.bank.questions import ImportSummary, Question, QuestionKind, QuestionStatus
from desktop.core.bank.store import ALL_STATUSES, QuestionFilter
from desktop.importers import parse_notes_file
from desktop.storage import bank_import
from desktop.storage.database import Database
from desktop.storage.question_bank import QuestionBank

ImportNotes = Callable[..., ImportSummary]
EVERYTHING = QuestionFilter(statuses=ALL_STATUSES)

NOTES = """# Notes

## Basics

**Q1**: What is a tensor?

**Expected Answer**:
- An n-dimensional array
- Lives on a device

---

**Q2**: What is autograd?

**Expected Answer**: Automatic differentiation.

---

#### Trap 1: "Leak"

**Question**: Validation beats training. Good?

**Wrong Answer**: "Yes."

**Correct Answer**: A red flag: look for leakage.
"""


OTHER_NOTES = """# Notes

**Q1**: What is a chain?

**Expected Answer**: Steps run one after another.

---

**Q2**: What does a retriever do?

**Expected Answer**: It finds the documents for a query.

---

**Q3**: What is an agent?

**Expected Answer**: A model that chooses tools.
"""


def _by_identity(bank: QuestionBank) -> dict[str, Question]:
    return {question.identity: question for question in bank.questions(EVERYTHING)}


def test_first_import_adds_everything(bank: QuestionBank, import_notes: ImportNotes) -> None:
    summary = import_notes(NOTES)
    assert (summary.added, summary.updated, summary.unchanged, summary.retired) == (3, 0, 0, 0)
    assert summary.by_kind == {"qa": 2, "trap": 1, "story": 0, "concept": 0}
    assert summary.changes == ("new deck notes: 3 questions",)
    questions = bank.questions()
    assert [q.identity for q in questions] == ["qa:Q1", "qa:Q2", "trap:1"]
    assert [q.position for q in questions] == [0, 1, 2]
    trap = questions[2]
    assert trap.wrong_answer == "Yes."
    assert trap.topic == "Basics"
    assert trap.source_line == 19
    assert trap.source_file.endswith("notes.md")
    assert trap.status is QuestionStatus.ACTIVE and not trap.edited
    assert [deck.name for deck in bank.decks()] == ["notes"]
    assert bank.decks()[0].title == "Notes"


def test_reimporting_the_same_file_changes_nothing(
    bank: QuestionBank, import_notes: ImportNotes
) -> None:
    import_notes(NOTES)
    before = bank.questions(EVERYTHING)
    deck_before = bank.decks()
    summary = import_notes(NOTES)
    assert (summary.added, summary.updated, summary.unchanged, summary.retired) == (0, 0, 3, 0)
    assert summary.changes == ()
    assert bank.questions(EVERYTHING) == before  # timestamps included: untouched
    assert bank.decks() == deck_before


def test_seed_reimport_is_idempotent(database: Database, seed_notes: Path) -> None:
    bank = QuestionBank(database)
    first = bank.apply_import([parse_notes_file(seed_notes)])
    assert (first.added, first.by_kind["qa"], first.by_kind["trap"]) == (36, 25, 7)
    before = bank.questions(EVERYTHING)
    again = bank.apply_import([parse_notes_file(seed_notes)])
    assert (again.added, again.updated, again.unchanged, again.retired) == (0, 0, 36, 0)
    assert bank.questions(EVERYTHING) == before


def test_dry_run_reports_the_same_and_writes_nothing(
    bank: QuestionBank, import_notes: ImportNotes
) -> None:
    dry = import_notes(NOTES, dry_run=True)
    assert dry.dry_run and dry.added == 3
    assert not bank.has_decks() and bank.count(EVERYTHING) == 0
    real = import_notes(NOTES)
    assert dataclasses.replace(dry, dry_run=False) == real

    edited = NOTES.replace("Automatic differentiation.", "Reverse-mode autodiff.")
    before = bank.questions(EVERYTHING)
    dry = import_notes(edited.replace("**Q1**", "**Q9**"), dry_run=True)
    # Q1 became Q9 word for word: the same question, renumbered.
    assert (dry.added, dry.updated, dry.retired, dry.renumbered) == (0, 1, 0, 1)
    assert bank.questions(EVERYTHING) == before


def test_an_edited_answer_updates_in_place_and_keeps_history(
    bank: QuestionBank,
    import_notes: ImportNotes,
    add_review: Callable[[int], int],
    count_reviews: Callable[[int], int],
) -> None:
    import_notes(NOTES)
    q2 = _by_identity(bank)["qa:Q2"]
    add_review(q2.id)
    add_review(q2.id)

    summary = import_notes(NOTES.replace("Automatic differentiation.", "Reverse-mode autodiff."))
    assert (summary.added, summary.updated, summary.unchanged, summary.retired) == (0, 1, 2, 0)
    assert summary.changes == ("notes: updated qa:Q2 (line 13): reference, key points",)
    after = bank.get(q2.id)
    assert after.identity == "qa:Q2"
    assert after.reference == "Reverse-mode autodiff."
    assert after.key_points == ("Reverse-mode autodiff.",)
    assert after.created_at == q2.created_at
    assert after.updated_at is not None and q2.updated_at is not None
    assert after.updated_at > q2.updated_at
    assert count_reviews(q2.id) == 2


def test_moved_lines_update_provenance_silently(
    bank: QuestionBank, import_notes: ImportNotes
) -> None:
    import_notes(NOTES)
    before = _by_identity(bank)["trap:1"]
    summary = import_notes(NOTES.replace("## Basics\n", "## Basics\n\nSome new prose.\n\n"))
    assert summary.unchanged == 3 and summary.updated == 0
    after = _by_identity(bank)["trap:1"]
    assert after.source_line == before.source_line + 3
    assert after.updated_at == before.updated_at


def test_a_renamed_heading_moves_questions_to_the_new_topic(
    bank: QuestionBank, import_notes: ImportNotes
) -> None:
    import_notes(NOTES)
    summary = import_notes(NOTES.replace("## Basics", "## Fundamentals"))
    assert summary.updated == 3
    assert {q.topic for q in bank.questions()} == {"Fundamentals"}
    assert [t.path for t in bank.topics()] == ["Fundamentals"]  # the empty topic is gone


def test_removed_questions_are_retired_and_come_back(
    bank: QuestionBank,
    import_notes: ImportNotes,
    add_review: Callable[[int], int],
    count_reviews: Callable[[int], int],
) -> None:
    import_notes(NOTES)
    q2 = _by_identity(bank)["qa:Q2"]
    add_review(q2.id)
    without_q2 = NOTES.replace(
        "**Q2**: What is autograd?\n\n**Expected Answer**: Automatic differentiation.\n\n---\n", ""
    )

    summary = import_notes(without_q2)
    assert (summary.retired, summary.unchanged) == (1, 2)
    assert "retired qa:Q2" in summary.changes[0]
    assert bank.get(q2.id).status is QuestionStatus.RETIRED
    assert [q.identity for q in bank.questions()] == ["qa:Q1", "trap:1"]
    assert count_reviews(q2.id) == 1

    again = import_notes(without_q2)
    assert again.retired == 0 and again.changes == ()

    back = import_notes(NOTES)
    assert (back.reactivated, back.added, back.unchanged) == (1, 0, 2)
    assert bank.get(q2.id).status is QuestionStatus.ACTIVE
    assert count_reviews(q2.id) == 1


def test_suspended_questions_stay_suspended(bank: QuestionBank, import_notes: ImportNotes) -> None:
    import_notes(NOTES)
    q1 = _by_identity(bank)["qa:Q1"]
    bank.set_status(q1.id, QuestionStatus.SUSPENDED)
    import_notes(NOTES.replace("Lives on a device", "Lives on a CPU or GPU"))
    assert bank.get(q1.id).status is QuestionStatus.SUSPENDED
    assert "Lives on a CPU or GPU" in bank.get(q1.id).reference


def test_an_edit_made_in_the_app_survives_reimport(
    bank: QuestionBank, import_notes: ImportNotes
) -> None:
    import_notes(NOTES)
    q2 = _by_identity(bank)["qa:Q2"]
    bank.update(q2.id, reference="Autograd records operations and replays them backwards.")
    assert bank.get(q2.id).edited

    summary = import_notes(NOTES)
    assert summary.unchanged == 3 and summary.kept_edits == 0
    kept = bank.get(q2.id)
    assert kept.edited
    assert kept.reference == "Autograd records operations and replays them backwards."


def test_when_notes_and_app_both_changed_the_edit_is_kept_and_reported(
    bank: QuestionBank, import_notes: ImportNotes
) -> None:
    import_notes(NOTES)
    q2 = _by_identity(bank)["qa:Q2"]
    bank.update(q2.id, reference="My own better answer.")
    changed_notes = NOTES.replace("Automatic differentiation.", "Reverse-mode autodiff.")

    summary = import_notes(changed_notes)
    assert summary.kept_edits == 1 and summary.unchanged == 3 and summary.updated == 0
    (change,) = summary.changes
    assert "qa:Q2" in change and "kept your edit" in change and "--overwrite-edits" in change
    assert bank.get(q2.id).reference == "My own better answer."

    # Reported once; the next import of the same notes is quiet.
    assert import_notes(changed_notes).changes == ()

    overwritten = import_notes(changed_notes, overwrite_edits=True)
    assert overwritten.updated == 1
    assert "took the notes' version" in overwritten.changes[0]
    after = bank.get(q2.id)
    assert after.reference == "Reverse-mode autodiff." and not after.edited


def test_an_edit_the_notes_caught_up_with_is_no_longer_an_edit(
    bank: QuestionBank, import_notes: ImportNotes
) -> None:
    import_notes(NOTES)
    q2 = _by_identity(bank)["qa:Q2"]
    bank.update(q2.id, reference="Reverse-mode autodiff.", key_points=["Reverse-mode autodiff."])
    summary = import_notes(NOTES.replace("Automatic differentiation.", "Reverse-mode autodiff."))
    assert summary.unchanged == 3 and summary.kept_edits == 0
    assert not bank.get(q2.id).edited


def test_concepts_are_left_alone_when_not_asked_for(
    bank: QuestionBank, import_notes: ImportNotes
) -> None:
    with_prose = NOTES.replace("## Basics\n", "## Basics\n\nTensors are arrays.\n\n## Questions\n")
    first = import_notes(with_prose, include_concepts=True)
    assert first.by_kind["concept"] == 1
    concept = bank.questions(QuestionFilter(kind=QuestionKind.CONCEPT))[0]
    assert concept.identity == "concept:Basics"

    plain = import_notes(with_prose)
    assert plain.retired == 0 and plain.unchanged == 3
    assert bank.get(concept.id).status is QuestionStatus.ACTIVE

    gone = import_notes(with_prose.replace("Tensors are arrays.\n", ""), include_concepts=True)
    assert gone.retired == 1
    assert bank.get(concept.id).status is QuestionStatus.RETIRED


def test_files_are_decks_matched_by_path(
    bank: QuestionBank, import_notes: ImportNotes, tmp_path: Path
) -> None:
    import_notes(NOTES, name="pytorch.md")
    import_notes(OTHER_NOTES, name="langchain.md")
    assert [deck.name for deck in bank.decks()] == ["pytorch", "langchain"]
    assert bank.count() == 6
    assert bank.count(QuestionFilter(deck="langchain")) == 3

    # Another file with the same name elsewhere is another deck.
    other = tmp_path / "elsewhere" / "pytorch.md"
    other.parent.mkdir()
    other.write_text(
        OTHER_NOTES.replace("chain", "graph").replace("retriever", "node"), encoding="utf-8"
    )
    bank.apply_import([parse_notes_file(other)])
    assert [deck.name for deck in bank.decks()][-1] == "pytorch (2)"

    # A file that moved (its old path is gone) keeps its deck and its questions' ids.
    ids = {q.identity: q.id for q in bank.questions(QuestionFilter(deck="langchain"))}
    old = tmp_path / "notes" / "langchain.md"
    moved = tmp_path / "moved" / "langchain.md"
    moved.parent.mkdir()
    old.rename(moved)
    summary = bank.apply_import([parse_notes_file(moved)])
    assert summary.unchanged == 3 and summary.added == 0
    assert {q.identity: q.id for q in bank.questions(QuestionFilter(deck="langchain"))} == ids
    assert next(d for d in bank.decks() if d.name == "langchain").source_path == str(moved)


def test_an_import_is_one_transaction(
    bank: QuestionBank, import_notes: ImportNotes, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import_notes(NOTES, name="first.md")
    before = bank.questions(EVERYTHING)
    second = tmp_path / "second.md"
    second.write_text(NOTES, encoding="utf-8")
    first_changed = tmp_path / "notes" / "first.md"
    first_changed.write_text(NOTES.replace("tensor", "matrix"), encoding="utf-8")

    real_write = bank_import._write
    calls = []

    def failing_write(*args: object, **kwargs: object) -> None:
        calls.append(1)
        real_write(*args, **kwargs)  # type: ignore[arg-type]
        if len(calls) == 2:
            raise RuntimeError("disk full")

    monkeypatch.setattr(bank_import, "_write", failing_write)
    with pytest.raises(RuntimeError):
        bank.apply_import([parse_notes_file(first_changed), parse_notes_file(second)])
    assert bank.questions(EVERYTHING) == before
    assert [deck.name for deck in bank.decks()] == ["first"]
