"""Checks on the shape of an answer that no model is needed for: a bare list of keywords, and an
answer that sides with a trap question's known-wrong answer.

Each check returns a named finding the engine turns into a flag and a cap on the score; none of
them can raise a score.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from desktop.grading.evidence.evidence import AnswerTerms, PointEvidence
from desktop.grading.evidence.terms import content_terms, raw_words
from desktop.grading.evidence.vocabulary import STOPWORDS

KEYWORD_LIST_FACTOR = 0.5
CONTRADICTION_CAP = 0.2
TRAP_MAX_REFERENCE_COVERAGE = 0.35

_SEGMENT = re.compile(r"[,;\n•|]+|\s[-*]\s|^\s*[-*]\s", re.M)
# Words that show an answer explains rather than lists.
_REASONING = frozenset(
    """because since so therefore thus hence means causes cause leads lead results result
    makes make allows allow prevents prevent reduces reduce increases increase requires
    require which that when if then instead while whereas but although""".split()  # noqa: SIM905
)
_POLARITY = {"yes": "yes", "yeah": "yes", "yep": "yes", "no": "no", "nope": "no"}


@dataclass(frozen=True)
class Finding:
    """A named observation; `cap` bounds every key point's value, `factor` scales it."""

    flag: str
    detail: str
    cap: float = 1.0
    factor: float = 1.0


def keyword_list(answer: str) -> Finding | None:
    """A list of terms with no reasoning: many short segments, almost no function words."""
    words = raw_words(answer)
    if len(words) < 4:
        return None
    segments = [segment for segment in _SEGMENT.split(answer) if raw_words(segment)]
    if len(segments) < 4:
        return None
    mean_length = sum(len(raw_words(segment)) for segment in segments) / len(segments)
    function_share = sum(1 for word in words if word in STOPWORDS) / len(words)
    reasons = sum(1 for word in words if word in _REASONING)
    if mean_length <= 2.5 and function_share < 0.1 and reasons == 0:
        return Finding(
            "keyword_list",
            f"{len(segments)} terms listed without saying how they relate",
            factor=KEYWORD_LIST_FACTOR,
        )
    return None


def _polarity(text: str) -> str | None:
    words = raw_words(text)[:2]
    for word in words:
        if word in _POLARITY:
            return _POLARITY[word]
    return None


def sides_with_wrong_answer(
    answer: AnswerTerms,
    wrong_answer: str | None,
    reference_coverage: float,
    question: str,
    reference: str = "",
) -> Finding | None:
    """The answer asserts a trap's known-wrong answer: its yes/no, or the words that only the
    wrong answer uses (not the ones it shares with the question or the reference), not
    negated, more than it covers the reference. Sharing words is not asserting the claim."""
    if not wrong_answer or not wrong_answer.strip():
        return None
    wrong_polarity = _polarity(wrong_answer)
    # "Yes, but ..." with most of the reference is a qualified answer, not the trap's answer.
    if (
        wrong_polarity is not None
        and _polarity(answer.text) == wrong_polarity
        and reference_coverage < 0.5
    ):
        return Finding(
            "contradicts_reference",
            "answers the way the known-wrong answer does",
            cap=CONTRADICTION_CAP,
        )
    shared_with_reference = set(content_terms(question)) | set(content_terms(reference))
    distinctive = [
        term for term in content_terms(wrong_answer) if term not in shared_with_reference
    ]
    if len(distinctive) < 2:
        return None
    asserted = sum(1 for term in distinctive if term in answer.plain) / len(distinctive)
    # An answer that also makes the reference's case is not the trap's answer, whatever words
    # it shares with it; the key points judge it.
    if asserted >= 0.6 and reference_coverage < TRAP_MAX_REFERENCE_COVERAGE:
        return Finding(
            "contradicts_reference",
            "asserts what the known-wrong answer says",
            cap=CONTRADICTION_CAP,
        )
    return None


NEGATES_KEY_POINT = "negates_key_point"
# Flagged when the answer states the opposite of a claim in at least half of the key points:
# wrong, not incomplete (the rating suggests Again whatever the score).
STATES_THE_OPPOSITE = "states_the_opposite"
_OPPOSITE_SHARE = 0.5


def contradicted_points(evidence: Sequence[PointEvidence]) -> list[Finding]:
    """The claims the answer states the opposite of (each loses its word-matching support)."""
    claims = [claim for point in evidence for claim in point.contradicted_claims]
    if not claims:
        return []
    contradicted, points = sum(1 for point in evidence if point.contradicted), len(evidence)
    findings = [
        Finding(NEGATES_KEY_POINT, "The answer states the opposite of: " + "; ".join(claims))
    ]
    if contradicted / points >= _OPPOSITE_SHARE:
        findings.append(
            Finding(
                STATES_THE_OPPOSITE,
                f"it states the opposite of {contradicted} of the {points} key points",
            )
        )
    return findings
