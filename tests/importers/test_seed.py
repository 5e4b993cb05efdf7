"""The importer on the seed notes (the built-in bank): counts, answers, provenance, traps."""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from pathlib import Path

import pytest

from desktop.core.bank.questions import ParsedNotes, ParsedQuestion, QuestionKind
from desktop.importers import parse_notes_file
from desktop.paths import builtin_bank_files

SEED = Path(__file__).resolve().parents[2] / "resources" / "bank" / "frameworks-and-tools.md"
# The learner's notes file (000_1cd90e0c9824386e.txt) the built-in bank was made from, by content.
SEED_SHA256 = "8df289a6dab445f89f6cd2e0d57488e088c4cc49d5b6af144e64a40cc6045f8f"


@pytest.fixture(scope="module")
def parsed() -> ParsedNotes:
    return parse_notes_file(SEED)


@pytest.fixture(scope="module")
def by_identity(parsed: ParsedNotes) -> dict[str, ParsedQuestion]:
    return {question.identity: question for question in parsed.questions}


def _seed_lines() -> list[str]:
    return SEED.read_text(encoding="utf-8").split("\n")


def test_the_built_in_bank_is_the_seed() -> None:
    files = builtin_bank_files()
    assert [path.name for path in files] == ["frameworks-and-tools.md"]
    assert hashlib.sha256(files[0].read_bytes()).hexdigest() == SEED_SHA256


def test_seed_gives_25_qa_7_traps_4_stories(parsed: ParsedNotes) -> None:
    kinds = Counter(question.kind for question in parsed.questions)
    assert kinds == {QuestionKind.QA: 25, QuestionKind.TRAP: 7, QuestionKind.STORY: 4}
    assert parsed.title == "Section 13: Frameworks and Tools - Complete Interview Notes"
    assert not parsed.concepts_included
    assert len(parsed.content_hash) == 64


def test_identities_are_stable_and_unique(parsed: ParsedNotes) -> None:
    identities = [question.identity for question in parsed.questions]
    assert len(set(identities)) == 36
    assert {f"qa:Q{n}" for n in range(1, 26)} <= set(identities)
    assert {f"trap:{n}" for n in range(1, 8)} <= set(identities)
    assert {f"story:{n}" for n in range(1, 5)} <= set(identities)


def test_provenance_lines_point_at_each_question(parsed: ParsedNotes) -> None:
    lines = _seed_lines()
    for question in parsed.questions:
        first = lines[question.line - 1]
        if question.kind is QuestionKind.QA:
            assert first.startswith(f"**{question.identity.split(':')[1]}**:"), question.identity
        elif question.kind is QuestionKind.TRAP:
            assert first.startswith(f"#### Trap {question.identity.split(':')[1]}:")
        else:
            assert first.startswith(f"#### Story {question.identity.split(':')[1]}:")


def test_known_provenance_lines(by_identity: dict[str, ParsedQuestion]) -> None:
    assert by_identity["qa:Q1"].line == 1643
    assert by_identity["qa:Q7"].line == 1808
    assert by_identity["qa:Q25"].line == 5154
    assert by_identity["trap:1"].line == 4584
    assert by_identity["story:4"].line == 4888


def test_topics_come_from_the_enclosing_headings(by_identity: dict[str, ParsedQuestion]) -> None:
    assert by_identity["qa:Q1"].topic_path == (
        "Interview Questions: PyTorch & HuggingFace > PyTorch Questions"
    )
    assert by_identity["qa:Q6"].topic_path == (
        "Interview Questions: PyTorch & HuggingFace > HuggingFace Questions"
    )
    assert (
        by_identity["qa:Q11"].topic_path == "Interview Questions: LangChain, LlamaIndex, and Tools"
    )
    assert by_identity["trap:3"].topic == (
        "ADDITIONAL CRITICAL TOPICS (From Deep Research)",
        "13.12 Common Interview Traps (Hao Hoang Style)",
    )
    assert by_identity["story:2"].topic[-1] == (
        "13.13 Production War Stories (Real Company Experiences)"
    )
    assert (
        by_identity["qa:Q21"].topic[-1]
        == "13.14 Final Interview Questions (Advanced Hao Hoang Style)"
    )


def test_prompts_are_the_question_text(by_identity: dict[str, ParsedQuestion]) -> None:
    assert by_identity["qa:Q5"].prompt == (
        "Explain why `model.eval()` is critical during inference. What happens if you forget it?"
    )
    assert by_identity["trap:7"].prompt == (
        "Are these equivalent?\n"
        "- A: Batch size 32, no accumulation\n"
        "- B: Batch size 8, accumulation steps 4"
    )


def test_full_reference_answers(by_identity: dict[str, ParsedQuestion]) -> None:
    q1 = by_identity["qa:Q1"].reference
    assert q1.startswith("1. Check current memory usage: `torch.cuda.memory_summary()`")
    assert q1.endswith(
        "**Gotcha**: Don't forget to move tensors to CPU during validation if not using them."
    )
    q25 = by_identity["qa:Q25"].reference
    assert q25.startswith("**Diagnosis**: TIES parameters may be incorrect.")
    assert q25.endswith("- Equal weights often work best (unless one model clearly superior)")
    for question in by_identity.values():
        assert "**Expected Answer**" not in question.reference
        assert not question.reference.rstrip().endswith("---")
        assert question.reference == question.reference.strip("\n")


def test_code_blocks_are_kept_byte_for_byte(by_identity: dict[str, ParsedQuestion]) -> None:
    text = "\n".join(_seed_lines())
    block = (
        "```python\n"
        "scaler = torch.cuda.amp.GradScaler()\n"
        "\n"
        "# Scale loss before backward\n"
        "scaler.scale(loss).backward()\n"
        "\n"
        "# Unscale before optimizer step\n"
        "scaler.step(optimizer)\n"
        "scaler.update()\n"
        "```"
    )
    assert block in text
    assert block in by_identity["qa:Q3"].reference
    # Every fenced block of every answer appears in the notes exactly as written.
    fences = re.compile(r"^```.*?^```$", re.MULTILINE | re.DOTALL)
    for question in by_identity.values():
        for code in fences.findall(question.reference):
            assert code in text, question.identity
    q25_blocks = fences.findall(by_identity["qa:Q25"].reference)
    assert len(q25_blocks) == 4
    assert (
        "  - model_a  # Llama-2-7B\n  - model_b  # Mistral-7B (different architecture!)"
        in (q25_blocks[1])
    )


def test_headings_inside_code_are_not_topics(parsed: ParsedNotes) -> None:
    for question in parsed.questions:
        for part in question.topic:
            assert not part.startswith(("Scale loss", "Check", "Load", "Tokenize"))


def test_traps_keep_the_known_wrong_answer(by_identity: dict[str, ParsedQuestion]) -> None:
    assert by_identity["trap:1"].wrong_answer == "It should work fine, just longer sequences."
    assert by_identity["trap:3"].wrong_answer == "Increase rank to 64."
    assert by_identity["trap:6"].wrong_answer == "Yes, great! Model is generalizing."
    for number in range(1, 8):
        trap = by_identity[f"trap:{number}"]
        assert trap.wrong_answer
        assert "Wrong Answer" not in trap.reference
        assert "Correct Answer" not in trap.reference
        assert trap.wrong_answer not in trap.reference
    assert by_identity["trap:2"].reference.startswith("**Memory Components**:")
    assert by_identity["trap:1"].reference.endswith("*Source: From Hao Hoang's posts*")
    assert all(
        question.wrong_answer is None
        for question in by_identity.values()
        if question.kind is not QuestionKind.TRAP
    )


def test_stories_ask_what_went_wrong(by_identity: dict[str, ParsedQuestion]) -> None:
    story = by_identity["story:1"]
    assert story.prompt == (
        "War story: The $100K Tokenization Bug (Anthropic Blog)\n\n"
        "Scenario: Company fine-tuned model, deployed to production.\n\n"
        "What went wrong, and what is the lesson?"
    )
    assert story.reference.startswith(
        "**Issue**: Inference tokenizer different from training tokenizer."
    )
    assert "**Lesson**: **Always version and pin tokenizers!**" in story.reference
    assert 'revision="abc123",  # Pin specific version' in story.reference
    assert "Scenario" not in story.reference
    for number in range(1, 5):
        assert "what is the lesson" in by_identity[f"story:{number}"].prompt


def test_key_points_are_short_clean_and_unique(parsed: ParsedNotes) -> None:
    for question in parsed.questions:
        points = question.key_points
        assert 1 <= len(points) <= 12, question.identity
        assert len({point.lower() for point in points}) == len(points)
        for point in points:
            assert 3 <= len(point) <= 200, (question.identity, point)
            assert "**" not in point and "`" not in point, point
            assert not point.startswith(("- ", "* ", "1. ", "#")), point
            assert "```" not in point


def test_key_points_follow_the_reference(by_identity: dict[str, ParsedQuestion]) -> None:
    assert by_identity["qa:Q1"].key_points[0] == (
        "Check current memory usage: torch.cuda.memory_summary()"
    )
    # Nested bullets stay with their parent item.
    assert (
        by_identity["qa:Q1"]
        .key_points[1]
        .startswith("Identify bottlenecks: Batch size too large? → Reduce batch size")
    )
    assert by_identity["qa:Q2"].key_points[0] == (
        "DDP (DistributedDataParallel): Each GPU has full model copy; Gradients synchronized via "
        "AllReduce; Memory: O(model_size) per GPU; Use when: Model fits on single GPU"
    )
    assert "Gotcha: Always use GradScaler with FP16. Forgetting it is a common mistake." in (
        by_identity["qa:Q3"].key_points
    )
    assert by_identity["trap:4"].key_points[0] == "Use original tokenizer!"
    assert by_identity["story:3"].key_points[-1] == (
        "Lesson: Always assert model.eval() in production"
    )
