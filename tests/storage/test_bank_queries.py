"""Reading and editing the bank: get, filters, search, topics, decks, update, status."""

from __future__ import annotations

from pathlib import Path

import pytest

from desktop.core.bank.questions import QuestionKind, QuestionStatus
from desktop.core.bank.store import ALL_STATUSES, QuestionBankStore, QuestionFilter, TopicSummary
from desktop.core.errors import NotFoundError
from desktop.importers import parse_notes_file
from desktop.storage.question_bank import QuestionBank


@pytest.fixture
def seeded(bank: QuestionBank, seed_notes: Path) -> QuestionBank:
    bank.apply_import([parse_notes_file(seed_notes)])
    return bank


def test_the_bank_satisfies_the_protocol(bank: QuestionBank) -> None:
    store: QuestionBankStore = bank  # checked by mypy; at runtime, the methods exist
    assert callable(store.apply_import)
    assert not bank.has_decks()
    assert bank.questions() == [] and bank.topics() == [] and bank.decks() == []


def test_get_and_not_found(seeded: QuestionBank) -> None:
    first = seeded.questions()[0]
    assert seeded.get(first.id) == first
    with pytest.raises(NotFoundError, match="no question with id 9999"):
        seeded.get(9999)
    with pytest.raises(NotFoundError):
        seeded.set_status(9999, QuestionStatus.RETIRED)


def test_questions_come_in_bank_order(seeded: QuestionBank, seed_notes: Path) -> None:
    parsed = parse_notes_file(seed_notes).questions
    listed = seeded.questions()
    assert [q.identity for q in listed] == [q.identity for q in parsed]
    assert [q.source_line for q in listed] == sorted(q.source_line for q in listed)
    assert listed[0].deck == "Frameworks and Tools"
    assert listed[0].key_points == parsed[0].key_points


def test_filters(seeded: QuestionBank) -> None:
    assert len(seeded.questions(QuestionFilter(kind=QuestionKind.TRAP))) == 7
    assert seeded.count(QuestionFilter(kind=QuestionKind.STORY)) == 4
    assert seeded.count(QuestionFilter(deck="Frameworks and Tools")) == 36
    assert seeded.count(QuestionFilter(deck="nope")) == 0
    by_topic = seeded.questions(QuestionFilter(topic="Interview Questions: PyTorch & HuggingFace"))
    assert [q.identity for q in by_topic] == [f"qa:Q{n}" for n in range(1, 11)]
    assert seeded.count(QuestionFilter(topic="Interview Questions: PyTorch")) == 0  # a path
    assert seeded.count(QuestionFilter(topic_contains="pytorch questions")) == 5
    page = seeded.questions(QuestionFilter(limit=5, offset=5))
    assert [q.identity for q in page] == [f"qa:Q{n}" for n in range(6, 11)]


def test_search_needs_every_word_in_prompt_or_reference(seeded: QuestionBank) -> None:
    found = seeded.search("GradScaler underflow")
    assert [q.identity for q in found] == ["qa:Q3"]
    assert {q.identity for q in seeded.search("pagedattention")} >= {"qa:Q16"}
    percent = seeded.search("%")  # LIKE wildcards are matched literally
    assert 0 < len(percent) < 36
    assert all("%" in q.prompt + q.reference for q in percent)
    assert seeded.search("1%_") == []
    assert seeded.search("nothing-like-this-anywhere") == []
    traps = seeded.search("tokenizer", QuestionFilter(kind=QuestionKind.TRAP))
    assert [q.identity for q in traps] == ["trap:4"]


def test_status_and_tag_filters(seeded: QuestionBank) -> None:
    q1, q2, q3 = seeded.questions()[:3]
    seeded.set_status(q1.id, QuestionStatus.RETIRED)
    seeded.set_status(q2.id, QuestionStatus.SUSPENDED)
    assert seeded.count() == 35  # retired questions are hidden by default
    assert seeded.count(QuestionFilter(statuses=ALL_STATUSES)) == 36
    only = QuestionFilter(statuses=frozenset({QuestionStatus.SUSPENDED}))
    assert [q.id for q in seeded.questions(only)] == [q2.id]

    seeded.update(q3.id, tags=["GPU", "memory", "gpu", " "])
    assert seeded.get(q3.id).tags == ("GPU", "memory")
    assert [q.id for q in seeded.questions(QuestionFilter(tag="gpu"))] == [q3.id]
    assert seeded.questions(QuestionFilter(tag="cpu")) == []


def test_topics_and_decks(seeded: QuestionBank, seed_notes: Path) -> None:
    topics = seeded.topics()
    assert topics[0] == TopicSummary(
        deck="Frameworks and Tools",
        path="Interview Questions: PyTorch & HuggingFace > PyTorch Questions",
        questions=5,
    )
    assert [t.path.split(" > ")[-1] for t in topics] == [
        "PyTorch Questions",
        "HuggingFace Questions",
        "Interview Questions: LangChain, LlamaIndex, and Tools",
        "13.12 Common Interview Traps (Hao Hoang Style)",
        "13.13 Production War Stories (Real Company Experiences)",
        "13.14 Final Interview Questions (Advanced Hao Hoang Style)",
    ]
    assert sum(t.questions for t in topics) == 36
    assert seeded.topics(deck="other") == []
    (deck,) = seeded.decks()
    assert deck.name == "Frameworks and Tools"
    assert deck.source_path == str(seed_notes)
    assert deck.imported_at.tzinfo is not None


def test_update_marks_content_edits(seeded: QuestionBank) -> None:
    question = seeded.questions()[0]
    tagged = seeded.update(question.id, tags=["cuda"])
    assert tagged.tags == ("cuda",) and not tagged.edited

    edited = seeded.update(
        question.id,
        prompt="How do you debug CUDA OOM?",
        key_points=["Check memory", "  ", "Reduce batch size"],
    )
    assert edited.edited
    assert edited.prompt == "How do you debug CUDA OOM?"
    assert edited.key_points == ("Check memory", "Reduce batch size")
    assert edited.reference == question.reference
    assert edited.updated_at is not None and question.updated_at is not None
    assert edited.updated_at > question.updated_at

    restored = seeded.update(
        question.id, prompt=question.prompt, key_points=list(question.key_points)
    )
    assert not restored.edited  # back to exactly what the notes say

    with pytest.raises(ValueError, match="prompt"):
        seeded.update(question.id, prompt="  ")


def test_wrong_answer_can_be_changed_and_cleared(seeded: QuestionBank) -> None:
    trap = seeded.questions(QuestionFilter(kind=QuestionKind.TRAP))[0]
    assert seeded.update(trap.id, wrong_answer="It is fine.").wrong_answer == "It is fine."
    assert seeded.update(trap.id, wrong_answer="").wrong_answer is None


def test_set_status(seeded: QuestionBank) -> None:
    question = seeded.questions()[0]
    assert seeded.set_status(question.id, QuestionStatus.SUSPENDED).status is (
        QuestionStatus.SUSPENDED
    )
    assert seeded.set_status(question.id, QuestionStatus.ACTIVE).status is QuestionStatus.ACTIVE
    retired = seeded.set_status(question.id, QuestionStatus("retired"))
    assert retired.status is QuestionStatus.RETIRED
