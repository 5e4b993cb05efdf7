"""From evidence, checks and (maybe) the model's verdicts to one score and per-point verdicts.

Each key point gets `(1 - w) * evidence + w * model verdict`, where `w` is the model's measured
weight. Checks only ever lower a point: a negated point, a keyword list, an answer that sides
with a known-wrong answer or addresses the grader is capped, whatever the model said.
"""

from __future__ import annotations

from dataclasses import dataclass

from desktop.core.grades import KeyPointVerdict, Verdict
from desktop.grading.answer_checks import Finding
from desktop.grading.assessment import Assessment
from desktop.grading.verdicts import VERDICT_VALUE, ModelReply

COVERED_FROM = 2 / 3
PARTIAL_FROM = 1 / 3
NEGATED_POINT_CAP = 0.25
_FEEDBACK_POINT_CHARS = 90


def verdict_for(value: float) -> Verdict:
    if value >= COVERED_FROM:
        return Verdict.COVERED
    if value >= PARTIAL_FROM:
        return Verdict.PARTIAL
    return Verdict.MISSING


@dataclass(frozen=True)
class Combined:
    score: float
    key_points: tuple[KeyPointVerdict, ...]


def combine(assessment: Assessment, reply: ModelReply | None, model_weight: float) -> Combined:
    weight = model_weight if reply is not None else 0.0
    cap = min((finding.cap for finding in assessment.findings), default=1.0)
    factor = 1.0
    for finding in assessment.findings:
        factor *= finding.factor
    values: list[float] = []
    verdicts: list[KeyPointVerdict] = []
    for index, point in enumerate(assessment.evidence):
        value = point.strength
        if reply is not None and index < len(reply.verdicts):
            value = (1 - weight) * point.strength + weight * VERDICT_VALUE[reply.verdicts[index]]
        if point.contradicted:
            value = min(value, NEGATED_POINT_CAP)
        value = min(value * factor, cap)
        values.append(value)
        verdicts.append(KeyPointVerdict(point.key_point, verdict_for(value), point.supporting_text))
    score = sum(values) / len(values) if values else 0.0
    return Combined(round(max(0.0, min(1.0, score)), 4), tuple(verdicts))


def compose_feedback(
    model_feedback: str, key_points: tuple[KeyPointVerdict, ...], findings: tuple[Finding, ...]
) -> str:
    """The model's sentence (when usable), then what the checks and verdicts established."""
    lines = [model_feedback.strip()] if model_feedback.strip() else []
    missing = [_short(point.text) for point in key_points if point.verdict is Verdict.MISSING]
    partial = [_short(point.text) for point in key_points if point.verdict is Verdict.PARTIAL]
    if missing:
        lines.append("Missing: " + "; ".join(missing))
    if partial:
        lines.append("Only partly covered: " + "; ".join(partial))
    lines.extend(_finding_text(finding) for finding in findings)
    return "\n".join(lines)


_FINDING_TEXT = {
    "injection": "The answer addresses the grader instead of the question; it was graded as "
    "data and its score capped.",
    "keyword_list": "The answer lists terms without explaining how they relate.",
}


def _finding_text(finding: Finding) -> str:
    if finding.flag in _FINDING_TEXT:
        return _FINDING_TEXT[finding.flag]
    if finding.cap < 1.0:
        return "The answer sides with a common wrong answer to this question."
    return finding.detail


def _short(text: str) -> str:
    text = " ".join(text.split())
    if len(text) <= _FEEDBACK_POINT_CHARS:
        return text
    return text[: _FEEDBACK_POINT_CHARS - 1].rstrip() + "…"
