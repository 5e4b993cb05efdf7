"""Correct answers are not read as stating the opposite: a key point that names a condition and
its remedy ("batch size too large → reduce the batch size") states no direction an answer could
contradict, while a real inversion of a comparison still is one."""

from __future__ import annotations

from desktop.core.grading.grades import GradingTask
from desktop.grading.evidence.assessment import assess

POINT = "Identify bottlenecks: Batch size too large? → Reduce batch size, use gradient accumulation"
TASK = GradingTask("How do you debug CUDA out of memory?", POINT, (POINT,))


def test_the_remedy_in_other_words_is_not_the_opposite() -> None:
    answer = "If the batch is too big, reduce the batch size and use gradient accumulation."
    assessment = assess(TASK, answer)
    (evidence,) = assessment.evidence
    assert not evidence.contradicted
    assert "negates_key_point" not in assessment.flags
    assert evidence.strength > 0.5


def test_an_inverted_comparison_is_still_caught() -> None:
    point = "FP16 has a smaller range than FP32"
    task = GradingTask("Compare FP16 and FP32.", point, (point,))
    (evidence,) = assess(task, "FP16 has a larger range than FP32.").evidence
    assert evidence.contradicted


def test_only_a_question_that_compares_named_things_has_sides_to_swap() -> None:
    from desktop.grading.evidence.claims import named_things
    from desktop.grading.evidence.terms import content_terms

    def sides(prompt: str, points: tuple[str, ...]) -> frozenset[str]:
        return named_things(prompt, [set(content_terms(p)) for p in points])

    assert sides(
        "Explain the difference between DDP and FSDP.",
        ("DDP: full model copy per GPU", "FSDP: shards parameters", "Use DDP below 10B"),
    ) == {"ddp", "fsdp"}
    assert sides(
        "You're using DPO for alignment. Why is it better than RLHF?",
        ("DPO needs no reward model", "RLHF trains a reward model", "DPO is stabler"),
    ) == {"dpo", "rlhf"}
    # Ordinary words of a question are no sides, and a question that compares nothing has none.
    assert (
        sides(
            "Mixed precision training and gradients become zero (underflow). What happens?",
            ("Small gradients underflow to zero", "Gradient scaling", "Use BF16 instead"),
        )
        == frozenset()
    )
    assert (
        sides(
            'You get a "CUDA out of memory" error while training a model. Walk me through it.',
            (
                "Check CUDA memory usage",
                "Reduce the batch size",
                "Model too large: mixed precision",
            ),
        )
        == frozenset()
    )
