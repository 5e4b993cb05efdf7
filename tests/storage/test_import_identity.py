"""A re-imported notes question is found by its content, not its number: renumbered questions
keep their reviews, a rewritten one is a new question, and an import that would retire many
questions is refused until it is confirmed."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import select

from desktop.core.bank.questions import ImportSummary, QuestionStatus
from desktop.core.bank.retiring import RetirementNotConfirmed
from desktop.core.bank.store import ALL_STATUSES, QuestionFilter
from desktop.importers import parse_notes_file
from desktop.storage.database import Database
from desktop.storage.question_bank import QuestionBank
from desktop.storage.schema import ReviewRow

ImportNotes = Callable[..., ImportSummary]
EVERYTHING = QuestionFilter(statuses=ALL_STATUSES)

NEW_FIRST_QUESTION = """**Q1**: What does `torch.no_grad()` change during evaluation?

**Expected Answer**:
- No autograd graph is recorded, so activations are freed at once
- Memory use drops and inference runs faster

---

"""

NOTES = """# Notes

**Q1**: What is a tensor?

**Expected Answer**:
- An n-dimensional array of numbers
- It lives on a device such as a CPU or a GPU

---

**Q2**: What does autograd do?

**Expected Answer**: It records the operations on tensors and replays them backwards to compute
the gradients of a loss with respect to every parameter.

---

**Q3**: Why call `model.eval()` before inference?

**Expected Answer**: It switches dropout off and makes batch normalisation use its running
statistics, so the outputs are deterministic.
"""


def _renumbered(text: str, inserted: str) -> str:
    """`text` with `inserted` (a question numbered 1) before its first question, and every
    question after it numbered one higher."""
    first = text.index("**Q1**:")
    rest = re.sub(
        r"^\*\*Q(\d+)\*\*", lambda m: f"**Q{int(m.group(1)) + 1}**", text[first:], flags=re.M
    )
    return text[:first] + inserted + rest


def _review_prompts(database: Database, bank: QuestionBank) -> dict[int, str]:
    with database.session() as session:
        pairs = session.execute(select(ReviewRow.id, ReviewRow.question_id)).all()
    return {review: bank.get(question).prompt for review, question in pairs}


def test_renumbering_the_seed_keeps_every_review_on_its_question(
    bank: QuestionBank,
    database: Database,
    seed_notes: Path,
    tmp_path: Path,
    add_review: Callable[[int], int],
) -> None:
    notes = tmp_path / "notes.md"
    text = seed_notes.read_text(encoding="utf-8")
    notes.write_text(text, encoding="utf-8")
    bank.apply_import([parse_notes_file(notes)])
    by_identity = {q.identity: q for q in bank.questions()}
    reviewed = ["qa:Q1", "qa:Q2", "qa:Q2", "qa:Q2", "qa:Q5", "qa:Q25", "trap:1", "story:2"]
    for identity in reviewed:
        add_review(by_identity[identity].id)
    before = _review_prompts(database, bank)
    assert "CUDA out of memory" in by_identity["qa:Q1"].prompt
    assert "DDP and FSDP" in by_identity["qa:Q2"].prompt

    notes.write_text(_renumbered(text, NEW_FIRST_QUESTION), encoding="utf-8")
    summary = bank.apply_import([parse_notes_file(notes)])

    assert (summary.added, summary.updated, summary.retired) == (1, 0, 0)
    assert (summary.renumbered, summary.unchanged) == (25, 36)
    assert any("qa:Q3 (line" in c and "renumbered from qa:Q2" in c for c in summary.changes)
    assert _review_prompts(database, bank) == before
    after = {q.identity: q for q in bank.questions()}
    assert after["qa:Q3"].id == by_identity["qa:Q2"].id  # DDP vs FSDP, now the third
    assert after["qa:Q1"].prompt.startswith("What does `torch.no_grad()` change")
    assert bank.count(EVERYTHING) == 37

    again = bank.apply_import([parse_notes_file(notes)])
    assert (again.unchanged, again.renumbered, again.changes) == (37, 0, ())


def test_a_question_moved_and_edited_keeps_its_row(
    bank: QuestionBank, import_notes: ImportNotes
) -> None:
    import_notes(NOTES)
    before = {q.identity: q.id for q in bank.questions()}
    q1 = NOTES[NOTES.index("**Q1**") : NOTES.index("**Q2**")]
    moved = NOTES.replace(q1, "").replace("**Q2**", "**Q1**").replace("**Q3**", "**Q2**")
    q1_edited = q1.replace("**Q1**", "**Q3**").replace("a tensor?", "a tensor in PyTorch?")
    moved += "\n---\n\n" + q1_edited.replace("CPU or a GPU", "CPU or GPU")  # 90% alike
    summary = import_notes(moved)
    assert (summary.added, summary.retired, summary.renumbered) == (0, 0, 3)
    after = {q.identity: q.id for q in bank.questions()}
    assert after == {"qa:Q1": before["qa:Q2"], "qa:Q2": before["qa:Q3"], "qa:Q3": before["qa:Q1"]}
    assert bank.get(before["qa:Q1"]).prompt == "What is a tensor in PyTorch?"


def test_a_reworded_prompt_is_the_same_question_renamed(
    bank: QuestionBank, import_notes: ImportNotes
) -> None:
    import_notes(NOTES)
    q2 = next(q for q in bank.questions() if q.identity == "qa:Q2")
    summary = import_notes(NOTES.replace("What does autograd do?", "Explain what autograd does."))
    assert (summary.added, summary.updated, summary.retired) == (0, 1, 0)
    (change,) = summary.changes
    assert change.startswith("notes: updated qa:Q2 (line 11): prompt")
    assert 'renamed from "What does autograd do?"' in change
    assert bank.get(q2.id).prompt == "Explain what autograd does."


def test_a_rewritten_question_is_new_and_the_old_one_is_retired(
    bank: QuestionBank,
    import_notes: ImportNotes,
    add_review: Callable[[int], int],
    count_reviews: Callable[[int], int],
) -> None:
    import_notes(NOTES)
    old = next(q for q in bank.questions() if q.identity == "qa:Q3")
    add_review(old.id)
    q3 = NOTES[NOTES.index("**Q3**") :]
    replaced = NOTES.replace(
        q3,
        "**Q3**: What is a learning-rate schedule?\n\n**Expected Answer**: A rule that "
        "changes the step size over training, e.g. warm-up then cosine decay.\n",
    )
    summary = import_notes(replaced)
    assert (summary.added, summary.updated, summary.retired) == (1, 0, 1)
    looks_new = next(c for c in summary.changes if "looks new" in c)
    assert looks_new.startswith("notes: qa:Q3 (line 18) looks new")
    assert '"Why call `model.eval()` before inference?"' in looks_new
    assert "retired with its history" in looks_new
    assert bank.get(old.id).status is QuestionStatus.RETIRED
    assert count_reviews(old.id) == 1
    new = next(q for q in bank.questions() if q.identity == "qa:Q3")
    assert new.id != old.id and count_reviews(new.id) == 0

    # The old question comes back (under another number): it is found by its text again.
    back = import_notes(replaced + "\n---\n\n" + q3.replace("**Q3**", "**Q4**"))
    assert (back.added, back.reactivated, back.retired) == (0, 1, 0)
    assert bank.get(old.id).status is QuestionStatus.ACTIVE
    assert bank.get(old.id).identity == "qa:Q4"
    assert count_reviews(old.id) == 1


def test_an_edit_in_place_is_matched_by_its_number_while_the_text_still_matches(
    bank: QuestionBank, import_notes: ImportNotes
) -> None:
    import_notes(NOTES)
    q3 = next(q for q in bank.questions() if q.identity == "qa:Q3")
    # Prompt and part of the answer rewritten (59% alike): too little to be found under another
    # number, enough to be the same question at the same number.
    edited = NOTES.replace(
        "Why call `model.eval()` before inference?", "What does `model.eval()` switch?"
    ).replace("so the outputs are deterministic", "which changes the outputs at inference")
    summary = import_notes(edited)
    assert (summary.added, summary.updated, summary.retired) == (0, 1, 0)
    assert bank.get(q3.id).prompt == "What does `model.eval()` switch?"


def _cut_seed(seed_notes: Path, tmp_path: Path) -> tuple[Path, str]:
    notes = tmp_path / "notes.md"
    text = seed_notes.read_text(encoding="utf-8")
    notes.write_text(text, encoding="utf-8")
    return notes, text


def test_an_import_that_retires_many_questions_is_refused_until_allowed(
    bank: QuestionBank, seed_notes: Path, tmp_path: Path
) -> None:
    notes, text = _cut_seed(seed_notes, tmp_path)
    bank.apply_import([parse_notes_file(notes)])
    before = bank.questions(EVERYTHING)
    # Cut cleanly at a block boundary: the file still parses.
    notes.write_text(text[: text.index("### HuggingFace Questions")], encoding="utf-8")
    cut = parse_notes_file(notes)

    preview = bank.apply_import([cut], dry_run=True)
    assert preview.retired == 31
    assert [(r.deck, r.retired, r.questions) for r in preview.large_retirements] == [
        ("Frameworks and Tools", 31, 36)
    ]

    with pytest.raises(RetirementNotConfirmed) as refused:
        bank.apply_import([cut])
    assert refused.value.retired == 31
    assert "31 of the 36 questions" in str(refused.value)
    assert "Nothing was changed" in str(refused.value)
    assert bank.questions(EVERYTHING) == before

    done = bank.apply_import([cut], allow_retire=True)
    assert done.retired == 31 and bank.count() == 5


def test_a_few_retirements_need_no_confirmation(
    bank: QuestionBank, seed_notes: Path, tmp_path: Path
) -> None:
    notes, text = _cut_seed(seed_notes, tmp_path)
    bank.apply_import([parse_notes_file(notes)])
    start, end = text.index("**Q3**:"), text.index("**Q6**:")
    notes.write_text(text[:start] + text[end:], encoding="utf-8")
    summary = bank.apply_import([parse_notes_file(notes)])  # 3 of 36: quietly
    assert (summary.retired, summary.large_retirements) == (3, ())

    notes.write_text(text[: text.index("**Q3**:")] + text[text.index("**Q7**:") :])
    # Q3-Q5 are retired already: only Q6 leaves now.
    assert bank.apply_import([parse_notes_file(notes)]).retired == 1


def test_the_first_retirements_of_a_small_deck_count_by_share(
    bank: QuestionBank, import_notes: ImportNotes
) -> None:
    import_notes(NOTES)
    only_q1 = NOTES[: NOTES.index("---")]
    with pytest.raises(RetirementNotConfirmed, match="2 of the 3 questions"):
        import_notes(only_q1)
    assert bank.count() == 3
    without_q3 = NOTES[: NOTES.rindex("---")]
    assert import_notes(without_q3).retired == 1  # one question of three: no need to ask
