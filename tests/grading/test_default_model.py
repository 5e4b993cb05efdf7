"""The real default model (Qwen2.5-Coder-1.5B-Instruct) on bank questions: a right answer
scores above the same answer with its claims inverted and above one with roles swapped, and
the wrong answers that word matching once praised get none of their key points covered."""

from __future__ import annotations

from pathlib import Path

import pytest

from desktop.core.grading.grades import GradingTask, Verdict
from desktop.grading.judging.engine import GradingEngine
from desktop.grading.llama.local import LocalLlamaBackend
from desktop.importers import parse_notes_file

BANK = Path(__file__).resolve().parents[2] / "resources" / "bank" / "frameworks-and-tools.md"

# question identity: (right, inverted claims, roles swapped)
ANSWERS = {
    "qa:Q2": (
        "DDP keeps a full copy of the model on every GPU and synchronizes gradients with "
        "AllReduce, so memory is O(model size) per GPU; use it when the model fits on a single "
        "GPU. FSDP shards the parameters across GPUs, each GPU stores only a fraction of the "
        "model, memory O(model size / number of GPUs); use it when the model does not fit on a "
        "single GPU, like 70B. DDP is faster but memory-intensive; FSDP is memory-efficient but "
        "communication is slower.",
        "DDP does not keep a full copy of the model on each GPU and needs no gradient "
        "synchronization; its memory per GPU is smaller than FSDP's. FSDP does not shard the "
        "parameters: every GPU stores the whole model, so use it only when the model fits on one "
        "GPU. FSDP is faster and uses less communication; DDP is slower.",
        "FSDP keeps a full copy of the model on every GPU and synchronizes gradients with "
        "AllReduce, so memory is O(model size) per GPU; use it when the model fits on a single "
        "GPU. DDP shards the parameters across GPUs, each GPU stores only a fraction of the "
        "model, memory O(model size / number of GPUs); use it when the model does not fit on a "
        "single GPU, like 70B. FSDP is faster but memory-intensive; DDP is memory-efficient but "
        "communication is slower.",
    ),
    "qa:Q3": (
        "FP16 has a limited range, so small gradients underflow to zero. The fix is gradient "
        "scaling: multiply the loss by a factor such as 2^16 so the gradients are scaled up, "
        "then unscale them before the optimizer step. Alternatively use BF16, which has the same "
        "range as FP32 and needs no scaling. Always use GradScaler with FP16.",
        "FP16 has a larger range than FP32, so small gradients cannot underflow. Gradient "
        "scaling is not needed, and GradScaler only slows training. BF16 has a smaller range "
        "than FP16, so avoid it.",
        "BF16 has a limited range, so small gradients underflow to zero. The fix is gradient "
        "scaling: multiply the loss by a factor such as 2^16 so the gradients are scaled up, "
        "then unscale them before the optimizer step. Alternatively use FP16, which has the same "
        "range as FP32 and needs no scaling. Always use GradScaler with BF16.",
    ),
    "qa:Q5": (
        "model.eval() disables dropout, so all neurons are active, and makes batch norm use its "
        "running statistics instead of batch statistics. If you forget it, dropout keeps zeroing "
        "neurons at random and batch norm uses the batch stats, so predictions are "
        "non-deterministic, wrong and vary with the batch size. Always call model.eval() for "
        "inference.",
        "model.eval() enables dropout and makes batch norm use the batch statistics instead of "
        "its running statistics. Forgetting it changes nothing: predictions stay deterministic "
        "and correct, so calling model.eval() is optional.",
        "model.eval() makes batch norm stop zeroing neurons at random and makes dropout use "
        "running statistics instead of batch statistics. If you forget it, batch norm keeps "
        "zeroing neurons and dropout uses the batch stats, so predictions vary with the batch "
        "size. Always call model.eval() for inference.",
    ),
}


def bank_task(identity: str) -> GradingTask:
    question = next(q for q in parse_notes_file(BANK).questions if q.identity == identity)
    return GradingTask(question.prompt, question.reference, question.key_points, kind="qa")


@pytest.mark.parametrize("identity", sorted(ANSWERS))
def test_right_beats_inverted_and_swapped(
    default_backend: LocalLlamaBackend, identity: str
) -> None:
    task = bank_task(identity)
    right, inverted, swapped = ANSWERS[identity]
    engine = GradingEngine(default_backend, reliability=0.5, feedback=False)
    scores = {}
    for name, answer in (("right", right), ("inverted", inverted), ("swapped", swapped)):
        grade = engine.grade(task, answer)
        assert grade.is_graded and not grade.word_matching_only, grade.reason
        assert grade.score is not None
        scores[name] = grade.score
    assert scores["right"] > scores["inverted"], scores
    assert scores["right"] > scores["swapped"], scores
    assert scores["right"] >= 0.6, scores


def test_half_an_answer_gets_no_credit_for_the_half_it_leaves_out(
    default_backend: LocalLlamaBackend,
) -> None:
    task = bank_task("qa:Q2")
    right = ANSWERS["qa:Q2"][0]
    half = (
        "DDP keeps a full copy of the model on every GPU and synchronizes gradients with "
        "AllReduce. FSDP shards the parameters across GPUs."
    )
    engine = GradingEngine(default_backend, reliability=0.5, feedback=False)
    halved, whole = engine.grade(task, half), engine.grade(task, right)
    trade_off = next(p for p in halved.key_points if p.text.startswith("Trade-off"))
    assert trade_off.verdict is not Verdict.COVERED, halved.key_points
    assert halved.score is not None and whole.score is not None
    assert halved.score < 0.65 and whole.score > halved.score + 0.1, (halved.score, whole.score)


def test_the_confidently_wrong_precision_answer_covers_no_key_point(
    default_backend: LocalLlamaBackend,
) -> None:
    task = bank_task("qa:Q3")
    wrong = (
        "FP16 has a larger range than FP32, so small gradients cannot underflow. Gradient "
        "scaling is not needed. BF16 has a smaller range, avoid it."
    )
    grade = GradingEngine(default_backend, reliability=0.5, feedback=False).grade(task, wrong)
    problem = grade.key_points[0]
    assert problem.verdict is not Verdict.COVERED, grade.key_points
    assert grade.score is not None and grade.score < 0.65  # no longer "Good"


def test_the_feedback_is_a_sentence_about_what_is_missing(
    default_backend: LocalLlamaBackend,
) -> None:
    task = bank_task("qa:Q2")
    half = (
        "DDP keeps a full copy of the model on every GPU and synchronizes gradients with "
        "AllReduce. FSDP shards the parameters across GPUs."
    )
    grade = GradingEngine(default_backend, reliability=0.5).grade(task, half)
    first_line = grade.feedback.splitlines()[0]
    assert not first_line.startswith(("Missing:", "Only partly covered:")), grade.feedback
    assert len(first_line.split()) >= 5 and first_line.lower() not in ("no.", "yes."), first_line
