"""Key-point evidence: normalised terms, synonyms, question words, negation."""

from __future__ import annotations

import pytest

from desktop.core.bank.notes_markdown.key_points import extract_key_points
from desktop.core.grading.grades import GradingTask
from desktop.grading.evidence.assessment import assess
from desktop.grading.evidence.evidence import derive_key_points
from desktop.grading.evidence.terms import content_terms, stem


@pytest.mark.parametrize(
    ("short", "long"),
    [
        ("DDP", "DistributedDataParallel"),
        ("DDP", "distributed data parallel"),
        ("FP16", "half-precision"),
        ("fp16", "float16"),
        ("OOM", "out of memory"),
        ("OOM", "Out-Of-Memory"),
        ("LoRA", "low-rank adaptation"),
        ("KV cache", "key-value cache"),
        ("gradient checkpointing", "activation recomputation"),
        ("batch norm", "BatchNorm"),
    ],
)
def test_abbreviations_and_synonyms_become_one_term(short: str, long: str) -> None:
    assert content_terms(short) == content_terms(long)


def test_inflections_share_a_stem() -> None:
    assert stem("simulates") == stem("simulate") == stem("simulation") == stem("simulated")
    assert stem("behaviour") == stem("behavior")
    assert stem("optimisation") == stem("optimization")
    assert stem("running") == stem("run")


def test_function_words_are_not_content() -> None:
    assert content_terms("it is the of and with to a") == []


TASK = GradingTask(
    prompt="Why does doubling the batch size cause an OOM?",
    reference="Activations grow linearly with batch size.",
    key_points=("activations grow linearly with batch size",),
)


def test_an_answer_that_states_the_point_is_covered() -> None:
    strong = assess(TASK, "Because stored activations grow linearly as the batch gets bigger.")
    assert strong.evidence[0].strength > 0.6
    assert "activations" in strong.evidence[0].supporting_text


def test_repeating_the_question_counts_less_than_answering_it() -> None:
    echo = assess(TASK, "Doubling the batch size causes OOM because of the batch size.")
    answer = assess(TASK, "Activations grow linearly.")
    assert echo.evidence[0].strength < answer.evidence[0].strength


def test_negating_the_key_point_is_a_contradiction_not_support() -> None:
    negated = assess(TASK, "Activations do not grow with the batch size, the weights do.")
    assert negated.evidence[0].contradicted
    assert negated.evidence[0].strength == 0.0
    assert "negates_key_point" in negated.flags


def test_affirming_what_the_key_point_denies_is_a_contradiction() -> None:
    task = GradingTask("What does model.eval() do?", "x", ("it does not turn off gradients",))
    wrong = assess(task, "model.eval() turns off gradients for inference.")
    right = assess(task, "It changes dropout; gradients are not turned off, use no_grad.")
    assert wrong.evidence[0].contradicted
    assert not right.evidence[0].contradicted


def test_key_points_come_from_the_reference_when_the_question_has_none() -> None:
    plain = GradingTask("Q?", "First idea here. Second idea there.", ())
    assert derive_key_points(plain) == ("First idea here.", "Second idea there.")


def test_a_markdown_reference_gets_the_importers_key_points_not_raw_lines() -> None:
    reference = (
        "**Trade-off**: memory against compute.\n\n"
        "```python\nscaler.update()\n```\n\n"
        "**Fixes**:\n- use the KV cache\n- batch the requests\n"
    )
    points = derive_key_points(GradingTask("Q?", reference, ()))
    assert points == extract_key_points(reference)
    assert points == (
        "Trade-off: memory against compute.",
        "Fixes: use the KV cache; batch the requests",
    )
    assert not any("```" in point or "scaler.update" in point for point in points)
