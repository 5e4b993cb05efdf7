"""Word-level checks on what an answer claims: direction (larger/smaller ...), negation within a
sentence, and which named thing a claim is attached to (swapped roles)."""

from __future__ import annotations

from desktop.core.grading.grades import GradingTask, Verdict
from desktop.core.review.cards import Rating
from desktop.core.review.rating import suggest_rating
from desktop.grading.evidence.assessment import assess
from desktop.grading.judging.engine import GradingEngine
from desktop.grading.judging.scoring import combine, verdict_for

PRECISION = GradingTask(
    prompt="Gradients become zero with mixed precision. What is happening and how do you fix it?",
    reference="FP16 has a smaller range than FP32, so small gradients underflow; scale the loss.",
    key_points=(
        "FP16 has a smaller range than FP32, so small gradients underflow to zero",
        "scale the loss up and unscale the gradients before the optimizer step",
    ),
)
PARALLEL = GradingTask(
    prompt="Explain the difference between DDP and FSDP.",
    reference="DDP keeps a full model copy per GPU; FSDP shards parameters across GPUs.",
    key_points=(
        "DDP keeps a full copy of the model on every GPU and all-reduces gradients",
        "FSDP shards the parameters, gradients and optimizer state across GPUs",
    ),
)


def score(task: GradingTask, answer: str) -> float:
    return combine(assess(task, answer)).score


def test_an_inverted_comparison_does_not_cover_the_point() -> None:
    right = "FP16 has a smaller range than FP32, so small gradients underflow to zero."
    inverted = "FP16 has a larger range than FP32, so small gradients never underflow to zero."
    assessed = assess(PRECISION, inverted)
    assert (
        assessed.evidence[0].contradicted and not assess(PRECISION, right).evidence[0].contradicted
    )
    assert score(PRECISION, right) > score(PRECISION, inverted) + 0.3


def test_a_negated_claim_in_a_matching_sentence_is_a_contradiction() -> None:
    negated = "With FP16 small gradients cannot underflow, its range is fine."
    assert assess(PRECISION, negated).evidence[0].contradicted


def test_swapped_roles_do_not_cover_either_point() -> None:
    right = (
        "DDP keeps a full copy of the model on every GPU and all-reduces the gradients. "
        "FSDP shards the parameters, gradients and optimizer state across the GPUs."
    )
    swapped = (
        "FSDP keeps a full copy of the model on every GPU and all-reduces the gradients. "
        "DDP shards the parameters, gradients and optimizer state across the GPUs."
    )
    assert [p.contradicted for p in assess(PARALLEL, right).evidence] == [False, False]
    assert [p.contradicted for p in assess(PARALLEL, swapped).evidence] == [True, True]
    assert score(PARALLEL, right) > 0.8 > 0.3 > score(PARALLEL, swapped)


def test_a_sentence_without_a_name_speaks_of_the_last_one_named() -> None:
    answer = (
        "FSDP is different. It shards the parameters, gradients and optimizer state across GPUs. "
        "DDP is simpler. It keeps a full copy of the model on every GPU and all-reduces gradients."
    )
    assert [p.contradicted for p in assess(PARALLEL, answer).evidence] == [False, False]


def test_a_negation_that_agrees_with_the_point_is_support() -> None:
    task = GradingTask(
        "Does model.eval() disable gradients?",
        "No: eval() does not turn off gradients; use no_grad for that.",
        ("eval does not turn off gradients; no_grad does",),
    )
    assessed = assess(task, "eval does not turn off gradients, you need no_grad for that.")
    assert not assessed.evidence[0].contradicted and assessed.evidence[0].strength > 0.6


def test_trap_check_flags_the_wrong_claim_not_shared_words() -> None:
    trap = GradingTask(
        prompt="Trained with max_length=512, serving with 2048. What could go wrong?",
        reference=(
            "Positions 512-2047 are out of distribution for the position embeddings, so quality "
            "degrades. Retrain with longer sequences, or use RoPE extrapolation or ALiBi."
        ),
        key_points=(
            "positions beyond 512 are out of distribution and quality degrades",
            "retrain with 2048, or use RoPE extrapolation or ALiBi",
        ),
        kind="trap",
        wrong_answer="It should work fine, just longer sequences.",
    )
    right = (
        "Positions past 511 were never trained, so they are out of distribution and quality "
        "degrades on longer sequences; retrain with 2048 or use RoPE extrapolation or ALiBi."
    )
    assert "contradicts_reference" not in assess(trap, right).flags
    assert "contradicts_reference" in assess(trap, "It works fine, just longer sequences.").flags


def test_saying_a_fix_is_not_needed_denies_it() -> None:
    task = GradingTask(
        PRECISION.prompt, PRECISION.reference, ("Solution: gradient scaling", "switch to BF16")
    )
    denied = assess(task, "Gradient scaling is not needed. BF16 has a smaller range, avoid it.")
    assert [point.contradicted for point in denied.evidence] == [True, True]
    kept = assess(task, "Use gradient scaling; it is needed with FP16. Or switch to BF16.")
    assert [point.contradicted for point in kept.evidence] == [False, False]


FOLDED = GradingTask(
    prompt="Explain the difference between DDP and FSDP. When would you use each?",
    reference="DDP replicates the model; FSDP shards it.",
    key_points=(
        "DDP: each GPU has a full model copy; gradients synchronized via AllReduce; "
        "use when the model fits on a single GPU",
        "FSDP: model parameters sharded across GPUs; each GPU stores only a fraction of the model",
        "Trade-off: DDP: faster, but memory-intensive; FSDP: memory-efficient, but slower",
    ),
)


def test_a_folded_point_is_checked_claim_by_claim() -> None:
    # One claim stated, one negated: the point is neither covered nor free of contradiction.
    answer = (
        "DDP does not keep a full copy of the model on each GPU. "
        "DDP synchronizes gradients with AllReduce."
    )
    ddp = assess(FOLDED, answer).evidence[0]
    assert ddp.contradicted_claims == ("DDP: each GPU has a full model copy",)
    assert verdict_for(ddp.strength) is not Verdict.COVERED


def test_terms_most_points_share_do_not_cover_a_point_on_their_own() -> None:
    # "GPU", "model" and "parameters" are in most points: repeating them states no trade-off.
    half = "DDP keeps the model on every GPU. FSDP shards the model parameters across GPUs."
    full = half + " DDP is faster but memory-intensive; FSDP is memory-efficient but slower."
    assert verdict_for(assess(FOLDED, half).evidence[2].strength) is Verdict.MISSING
    assert assess(FOLDED, full).evidence[2].strength == 1.0
    assert score(FOLDED, full) > score(FOLDED, half) + 0.2


def test_a_comparison_given_to_the_other_named_thing_is_the_opposite_claim() -> None:
    right = "DDP is faster but memory-intensive; FSDP is memory-efficient but slower."
    inverted = "FSDP is faster and memory-efficient; DDP is slower."
    assert not assess(FOLDED, right).evidence[2].contradicted
    assert assess(FOLDED, inverted).evidence[2].contradicted_claims == (
        "Trade-off: DDP: faster, but memory-intensive",
        "Trade-off: FSDP: memory-efficient, but slower",
    )


def test_an_answer_that_states_the_opposite_of_most_points_is_wrong_not_incomplete() -> None:
    wrong = (
        "DDP does not keep a full model copy on each GPU. "
        "FSDP is faster and memory-efficient; DDP is slower."
    )
    assessed = assess(FOLDED, wrong)
    assert "states_the_opposite" in assessed.flags
    grade = GradingEngine(None, reliability=0.0).grade(FOLDED, wrong)
    assert suggest_rating(grade).rating is Rating.AGAIN
    one_slip = "DDP keeps a full model copy on each GPU. FSDP is faster; DDP is slower."
    assert "states_the_opposite" not in assess(FOLDED, one_slip).flags
