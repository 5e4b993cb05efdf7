"""Deterministic evidence of key-point coverage: which of a key point's terms the answer uses.

A key point's content terms are matched against the answer's (normalised, stemmed, with the
bank's abbreviations and synonyms). Terms the question itself already contains, and those most
of its points share, count less: an answer that only repeats them has not shown anything. A term
the answer uses only under a negation ("it does not ...") is not support, and counts as
contradiction when the key point states it plainly. A point folded from a list ("DDP: a; b; c")
is checked claim by claim, so an answer that states a and negates b neither covers it nor
escapes the contradiction.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from desktop.core.bank.notes_markdown.key_points import claim_parts, extract_key_points
from desktop.core.grading.grades import GradingTask
from desktop.grading.evidence.claims import (
    Claim,
    Sentence,
    negated_claim,
    opposite_direction,
    swapped_subject,
)
from desktop.grading.evidence.terms import Token, content_terms, tokens

CONTEXT_TERM_WEIGHT = 0.35
# A paraphrase rarely reuses every word of a key point: this much coverage counts as full
# (chosen on the held-in calibration cases in resources/calibration, never on benchmark sets).
FULL_COVERAGE = 0.6
PREFIX_MATCH_CREDIT = 0.5
# A term used by at least this share of a question's points (of three or more) is context.
SHARED_SHARE = 0.5
MIN_POINTS_FOR_SHARED_TERMS = 3
_MIN_SHARED_PREFIX = 5
_SENTENCE = re.compile(r"(?<=[.!?])\s+|\n+")
_EVIDENCE_CHARS = 200


@dataclass(frozen=True)
class PointEvidence:
    """How well the answer supports one key point, on [0, 1], and the words that support it."""

    key_point: str
    coverage: float
    strength: float
    contradicted_claims: tuple[str, ...]  # the point's claims the answer states the opposite of
    supporting_text: str

    @property
    def contradicted(self) -> bool:
        return bool(self.contradicted_claims)


def derive_key_points(task: GradingTask, limit: int = 12) -> tuple[str, ...]:
    """The task's key points, or, when it has none, the reference's key points as the importer
    extracts them from Markdown notes (one function for both, so a pasted reference and an
    imported one give the same points)."""
    if task.key_points:
        return task.key_points[:limit]
    points = [point for point in extract_key_points(task.reference) if content_terms(point)]
    return tuple(points[:limit]) or ((task.reference.strip(),) if task.reference.strip() else ())


@dataclass(frozen=True)
class AnswerTerms:
    """An answer's terms, computed once per grade."""

    text: str
    tokens: tuple[Token, ...]
    plain: frozenset[str]
    negated: frozenset[str]
    sentences: tuple[tuple[str, frozenset[str]], ...]
    sentence_tokens: tuple[tuple[Token, ...], ...]

    @classmethod
    def of(cls, text: str) -> AnswerTerms:
        found = tuple(token for token in tokens(text) if token.content)
        plain = frozenset(token.term for token in found if not token.negated)
        negated = frozenset(token.term for token in found if token.negated)
        pieces = [sentence.strip() for sentence in _SENTENCE.split(text) if sentence.strip()]
        per_sentence = tuple(
            tuple(token for token in tokens(piece) if token.content) for piece in pieces
        )
        sentences = tuple(
            (piece, frozenset(token.term for token in found if not token.negated))
            for piece, found in zip(pieces, per_sentence, strict=True)
        )
        return cls(text, found, plain, negated, sentences, per_sentence)

    def credit(self, term: str) -> float:
        if term in self.plain:
            return 1.0
        if len(term) >= _MIN_SHARED_PREFIX and any(
            _shared_prefix(term, other) >= _MIN_SHARED_PREFIX for other in self.plain
        ):
            return PREFIX_MATCH_CREDIT
        return 0.0

    def negated_credit(self, term: str) -> float:
        """Support for a term the key point states under a negation: the answer negates it too."""
        return 1.0 if term in self.negated else 0.0


def _shared_prefix(left: str, right: str) -> int:
    count = 0
    for a, b in zip(left, right, strict=False):
        if a != b:
            break
        count += 1
    return count


def _term_weights(text: str, context: frozenset[str]) -> dict[str, float]:
    return {term: CONTEXT_TERM_WEIGHT if term in context else 1.0 for term in content_terms(text)}


def context_terms(asked: frozenset[str], points_terms: Sequence[set[str]]) -> frozenset[str]:
    """Terms that say what the question is about rather than what one point claims: the
    question's own and, when there are several points, those most of the points use ("GPU" and
    "model" in every point about DDP and FSDP). They count less, as the question's terms do.
    `points_terms` are the content terms of each key point."""
    if len(points_terms) < MIN_POINTS_FOR_SHARED_TERMS:
        return asked
    counts = Counter(term for terms in points_terms for term in terms)
    shared = {term for term, count in counts.items() if count / len(points_terms) >= SHARED_SHARE}
    return asked | shared


def point_evidence(
    key_point: str,
    answer: AnswerTerms,
    context: frozenset[str],
    entities: frozenset[str],
    sentences: Sequence[Sentence],
) -> PointEvidence:
    """A point's evidence is the mean of its claims' (`claim_parts`): "DDP: a; b; c" is stated
    as far as a, b and c are. `context` is `context_terms`; `entities` are the things the
    question names (see `claims.named_things`); `sentences` are the answer's, as
    `claims.split_sentences` gives them for those things."""
    claims = [
        claim
        for claim in (
            _claim_evidence(part, answer, context, entities, sentences)
            for part in claim_parts(key_point)
        )
        if claim is not None
    ]
    if not claims:
        return PointEvidence(key_point, 0.0, 0.0, (), "")
    weights = _term_weights(key_point, context)
    supported = any(claim.coverage > 0 for claim in claims)
    return PointEvidence(
        key_point=key_point,
        coverage=round(sum(claim.coverage for claim in claims) / len(claims), 4),
        strength=round(sum(claim.strength for claim in claims) / len(claims), 4),
        contradicted_claims=tuple(claim.text for claim in claims if claim.contradicted),
        supporting_text=_best_sentence(answer, weights) if supported else "",
    )


@dataclass(frozen=True)
class _ClaimEvidence:
    text: str
    coverage: float
    strength: float
    contradicted: bool


def _claim_evidence(
    claim: str,
    answer: AnswerTerms,
    context: frozenset[str],
    entities: frozenset[str],
    sentences: Sequence[Sentence],
) -> _ClaimEvidence | None:
    weights = _term_weights(claim, context)
    total = sum(weights.values())
    if total == 0:
        return None
    claim_tokens = [token for token in tokens(claim) if token.content]
    stated_negated = {token.term for token in claim_tokens if token.negated}
    matched = sum(
        weight * (answer.negated_credit(term) if term in stated_negated else answer.credit(term))
        for term, weight in weights.items()
    )
    coverage = matched / total
    contradicted = (
        _contradicts(weights, stated_negated, answer, matched)
        or negated_claim(claim_tokens, sentences)
        or opposite_direction(claim_tokens, sentences, entities)
        or swapped_subject(Claim.of(claim_tokens, weights), entities, sentences)
    )
    strength = 0.0 if contradicted else min(1.0, coverage / FULL_COVERAGE)
    return _ClaimEvidence(claim, coverage, strength, contradicted)


def _contradicts(
    weights: dict[str, float], stated_negated: set[str], answer: AnswerTerms, matched: float
) -> bool:
    """The answer negates what the claim states, or states what the claim negates
    (`stated_negated`: the claim's terms under a negation)."""
    total = sum(weights.values())
    if not stated_negated:
        negated = sum(
            weight
            for term, weight in weights.items()
            if term in answer.negated and term not in answer.plain
        )
        # The subject usually comes before "not": the negated part is the claim itself.
        return negated >= 0.3 * total and negated > matched
    affirmed = sum(
        weights.get(term, 0.0)
        for term in stated_negated
        if term in answer.plain and term not in answer.negated
    )
    return affirmed >= 0.5 * total


def _best_sentence(answer: AnswerTerms, weights: dict[str, float]) -> str:
    best, best_score = "", 0.0
    for sentence, terms in answer.sentences:
        score = sum(weight for term, weight in weights.items() if term in terms)
        if score > best_score:
            best, best_score = sentence, score
    if len(best) > _EVIDENCE_CHARS:
        best = best[: _EVIDENCE_CHARS - 1].rstrip() + "…"
    return best


def question_terms(task: GradingTask) -> frozenset[str]:
    return frozenset(content_terms(task.prompt))
