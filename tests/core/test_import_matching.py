"""The rules an import decides by: which stored question a notes question is, and when retiring
needs a confirmation."""

from __future__ import annotations

import pytest

from desktop.core.bank import matching
from desktop.core.bank.matching import MatchedBy, StoredQuestion, match_questions, similarity, words
from desktop.core.bank.questions import ParsedQuestion, QuestionKind
from desktop.core.bank.retiring import needs_confirmation


def _parsed(number: int, prompt: str, reference: str) -> ParsedQuestion:
    return ParsedQuestion(
        kind=QuestionKind.QA,
        identity=f"qa:Q{number}",
        topic=(),
        prompt=prompt,
        reference=reference,
        key_points=(),
        line=number,
    )


def _stored(
    key: int, number: int, prompt: str, reference: str, *, live: bool = True
) -> StoredQuestion:
    return StoredQuestion(key, f"qa:Q{number}", "qa", prompt, reference, f"hash{key}", live)


def test_similarity_is_the_jaccard_index_of_the_words() -> None:
    assert similarity(words("a b c"), words("A, b! d")) == 2 / 4
    assert similarity(words(""), words("")) == 1.0
    assert similarity(words("x"), words("y")) == 0.0


def test_steps_in_order_text_prompt_similarity_number() -> None:
    stored = [
        _stored(1, 1, "What is a tensor?", "An array of numbers on a device."),
        _stored(2, 2, "What is autograd?", "It records operations and replays them backwards."),
        _stored(3, 3, "Why eval()?", "It turns dropout off and freezes batch norm statistics."),
        _stored(4, 4, "What is a GPU?", "A processor for parallel work."),
    ]
    parsed = [
        _parsed(1, "What is autograd?", "Rewritten answer entirely."),  # same prompt
        _parsed(2, "Define a tensor.", "An array of numbers on a device."),  # moved, alike
        _parsed(3, "Why call eval()?", "Dropout goes off and batch norm stats freeze."),  # 47%
        _parsed(4, "What is a TPU?", "A chip made for matrix multiplication."),  # new
    ]
    hashes = ["new1", "new2", "new3", "new4"]
    found = match_questions(parsed, hashes, stored)
    assert [(m.stored.key, m.by) if m else None for m in found] == [
        (2, MatchedBy.PROMPT),
        (1, MatchedBy.SIMILARITY),
        (3, MatchedBy.NUMBER),
        None,
    ]


def test_the_same_text_prefers_the_same_number_then_a_live_question() -> None:
    stored = [
        _stored(1, 1, "Same?", "Same.", live=False),
        _stored(2, 2, "Same?", "Same."),
        _stored(3, 3, "Same?", "Same."),
    ]
    parsed = [_parsed(3, "Same?", "Same."), _parsed(9, "Same?", "Same.")]
    found = match_questions(parsed, ["h", "h"], stored)
    assert [m.stored.key if m else None for m in found] == [3, 2]


def test_without_similarity_pairs_only_the_number_decides(monkeypatch: pytest.MonkeyPatch) -> None:
    stored = [_stored(1, 1, "Define a tensor?", "An array of numbers on a device.")]
    parsed = [_parsed(2, "What is a tensor?", "An array of numbers on a device.")]
    assert match_questions(parsed, ["h"], stored)[0] is not None
    monkeypatch.setattr(matching, "MAX_SIMILARITY_PAIRS", 0)
    assert match_questions(parsed, ["h"], stored) == [None]


@pytest.mark.parametrize(
    ("retired", "questions", "asks"),
    [
        (0, 36, False),
        (1, 1, False),
        (1, 3, False),
        (2, 3, True),
        (2, 10, False),
        (3, 36, False),
        (4, 36, True),
        (3, 10, True),
        (20, 36, True),
    ],
)
def test_retiring_asks_above_three_questions_or_a_fifth_of_the_deck(
    retired: int, questions: int, asks: bool
) -> None:
    assert needs_confirmation(retired, questions) is asks
