"""Everything established about an answer without a model: key points, evidence, findings.

Huge answers are bounded here: the evidence reads a slice, the model sees a shorter one, and the
grade says so with the `truncated` flag.
"""

from __future__ import annotations

from dataclasses import dataclass

from desktop.core.grading.grades import (
    CHECKED_ANSWER_CHARS,
    INJECTION,
    MODEL_ANSWER_CHARS,
    TRUNCATED,
    GradingTask,
)
from desktop.grading.evidence.answer_checks import (
    Finding,
    contradicted_points,
    keyword_list,
    sides_with_wrong_answer,
)
from desktop.grading.evidence.claims import named_things, split_sentences
from desktop.grading.evidence.evidence import (
    AnswerTerms,
    PointEvidence,
    context_terms,
    derive_key_points,
    point_evidence,
    question_terms,
)
from desktop.grading.evidence.injection import INJECTION_SCORE_CAP, read_address
from desktop.grading.evidence.terms import content_terms
from desktop.grading.evidence.word_order import scrambled_reference

EVIDENCE_CHARS = CHECKED_ANSWER_CHARS


@dataclass(frozen=True)
class Assessment:
    """What the checks found in one answer, and the slice of it the model will see."""

    key_points: tuple[str, ...]
    evidence: tuple[PointEvidence, ...]
    findings: tuple[Finding, ...]
    model_answer: str
    truncated: bool
    # It speaks of its own grading: a model's verdicts cannot lift it above its evidence.
    addresses_grader: bool = False

    @property
    def flags(self) -> tuple[str, ...]:
        names = [finding.flag for finding in self.findings]
        if self.truncated:
            names.append(TRUNCATED)
        return tuple(dict.fromkeys(names))

    @property
    def evidence_score(self) -> float:
        return mean_strength(self.evidence)


def mean_strength(evidence: tuple[PointEvidence, ...]) -> float:
    """The word-matching score: the mean of the points' strengths (0 without points)."""
    return sum(point.strength for point in evidence) / len(evidence) if evidence else 0.0


def assess(task: GradingTask, answer: str) -> Assessment:
    text = answer.strip()
    bounded = text[:EVIDENCE_CHARS]
    key_points = derive_key_points(task)
    terms = AnswerTerms.of(bounded)
    asked = question_terms(task)
    points_terms = [set(content_terms(point)) for point in key_points]
    entities = named_things(task.prompt, points_terms)
    context = context_terms(asked, points_terms)
    sentences = split_sentences(terms.sentence_tokens, entities)
    evidence = tuple(
        point_evidence(point, terms, context, entities, sentences) for point in key_points
    )
    support = mean_strength(evidence)
    findings: list[Finding] = []
    address = read_address(bounded)
    injected = address.instruction
    if injected is not None:
        findings.append(
            Finding(INJECTION, f"addresses the grader: “{injected[:80]}”", cap=INJECTION_SCORE_CAP)
        )
    for finding in (
        keyword_list(bounded),
        sides_with_wrong_answer(terms, task.wrong_answer, support, task.prompt, task.reference),
        scrambled_reference(bounded, task.reference),
    ):
        if finding is not None:
            findings.append(finding)
    findings.extend(contradicted_points(evidence))
    return Assessment(
        key_points=key_points,
        evidence=evidence,
        findings=tuple(findings),
        model_answer=text[:MODEL_ANSWER_CHARS],
        truncated=len(text) > MODEL_ANSWER_CHARS,
        addresses_grader=address.speaks_of_grading,
    )
