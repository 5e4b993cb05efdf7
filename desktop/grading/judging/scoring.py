"""From evidence, checks and (maybe) the model's verdicts to one score and per-point verdicts.

Each key point gets `(1 - w) * evidence + w * model verdict`, where `w` is the model's measured
weight and the verdict is the model's probability of "stated", put on the grade scale by its
calibration. Checks only ever lower a point: a keyword list, an answer that sides with a
known-wrong answer or instructs the grader is capped, whatever the model said. A point word
matching saw contradicted gets no word-matching support; only a model's verdict can lift it. In
an answer that speaks of its own grading, the model's verdict can lower a point, never lift it
above its evidence: where the two disagree, neither earns a high score.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from desktop.core.grading.grades import INJECTION, SCRAMBLED, KeyPointVerdict, Verdict
from desktop.grading.evidence.answer_checks import NEGATES_KEY_POINT, STATES_THE_OPPOSITE, Finding
from desktop.grading.evidence.assessment import Assessment

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


# A model verdict this far above a point's evidence, in an answer about its own grading, is
# named in the feedback.
HELD_BACK_FROM = 1 / 3


@dataclass(frozen=True)
class Combined:
    score: float
    key_points: tuple[KeyPointVerdict, ...]
    # Some model verdict said much more than the evidence, in an answer about its own grading.
    held_back: bool = False


def combine(
    assessment: Assessment,
    model_values: Sequence[float | None] = (),
    model_weight: float = 0.0,
) -> Combined:
    """`model_values[i]` is the model's verdict on key point i on [0, 1] (None, or absent: not
    judged, so that point rests on evidence alone)."""
    cap = min((finding.cap for finding in assessment.findings), default=1.0)
    factor = 1.0
    for finding in assessment.findings:
        factor *= finding.factor
    values: list[float] = []
    verdicts: list[KeyPointVerdict] = []
    held_back = False
    for index, point in enumerate(assessment.evidence):
        value = point.strength
        judged = model_values[index] if index < len(model_values) else None
        if judged is not None:
            value = (1 - model_weight) * point.strength + model_weight * judged
            if assessment.addresses_grader and value > point.strength:
                held_back = held_back or judged - point.strength >= HELD_BACK_FROM
                value = point.strength
        elif point.contradicted:
            # Word matching saw the opposite claim; only a model's verdict can say otherwise.
            value = min(value, NEGATED_POINT_CAP)
        value = min(value * factor, cap)
        values.append(value)
        verdicts.append(KeyPointVerdict(point.key_point, verdict_for(value), point.supporting_text))
    score = sum(values) / len(values) if values else 0.0
    return Combined(round(max(0.0, min(1.0, score)), 4), tuple(verdicts), held_back)


def compose_feedback(
    model_feedback: str,
    key_points: tuple[KeyPointVerdict, ...],
    findings: tuple[Finding, ...],
    held_back: bool = False,
) -> str:
    """The model's sentence (when usable), then what the checks and verdicts established."""
    lines = [model_feedback.strip()] if model_feedback.strip() else []
    if held_back:
        lines.append(HELD_BACK_TEXT)
    missing = [_short(point.text) for point in key_points if point.verdict is Verdict.MISSING]
    partial = [_short(point.text) for point in key_points if point.verdict is Verdict.PARTIAL]
    if missing:
        lines.append("Missing: " + "; ".join(missing))
    if partial:
        lines.append("Only partly covered: " + "; ".join(partial))
    lines.extend(text for text in map(_finding_text, findings) if text)
    return "\n".join(lines)


HELD_BACK_TEXT = (
    "The answer speaks of its own grading, and the model said more than the key-point evidence "
    "shows; the score follows the evidence."
)
_FINDING_TEXT = {
    INJECTION: "The answer addresses the grader instead of the question; it was graded as "
    "data and its score capped.",
    "keyword_list": "The answer lists terms without explaining how they relate.",
    SCRAMBLED: "The answer is the reference's words out of order: it states none of its claims.",
}


def _finding_text(finding: Finding) -> str:
    if finding.flag in _FINDING_TEXT:
        return _FINDING_TEXT[finding.flag]
    if finding.flag == NEGATES_KEY_POINT:
        return finding.detail
    if finding.flag == STATES_THE_OPPOSITE:
        return ""  # the line above names the claims
    if finding.cap < 1.0:
        return "The answer sides with a common wrong answer to this question."
    return finding.detail


def _short(text: str) -> str:
    text = " ".join(text.split())
    if len(text) <= _FEEDBACK_POINT_CHARS:
        return text
    return text[: _FEEDBACK_POINT_CHARS - 1].rstrip() + "…"
