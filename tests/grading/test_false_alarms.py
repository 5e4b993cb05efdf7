"""Correct answers are not read as stating the opposite: a key point that names a condition and
its remedy ("batch size too large → reduce the batch size") states no direction an answer could
contradict, while a real inversion of a comparison still is one."""

from __future__ import annotations

from desktop.core.grading.grades import GradingTask
from desktop.grading.assessment import assess

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
