"""An answer made of the reference's own words in an order that says nothing.

Word matching reads words, not sentences: the reference's words shuffled cover every key point.
What a shuffle loses is order. Nearly every content word of such an answer is the reference's,
and most of the reference's words are there, yet the pairs of words that follow each other in
the reference seldom follow each other in the answer. A learner who writes the reference from
memory keeps those pairs ("low-rank update", "pretrained weights"); one who explains in other
words does not use the reference's vocabulary this exclusively.
"""

from __future__ import annotations

from itertools import pairwise

from desktop.core.grading.grades import SCRAMBLED
from desktop.grading.evidence.answer_checks import Finding
from desktop.grading.evidence.terms import tokens

SCRAMBLED_CAP = 0.3
# The answer's content words that are the reference's, and the reference's that are in it.
_FROM_REFERENCE = 0.8
_OF_REFERENCE = 0.6
# Pairs of the reference's neighbouring words that are in the answer, in order, this close.
_NEIGHBOURS = 3
_MIN_PAIRS = 6  # a short reference has too few pairs to tell a shuffle from a paraphrase
_KEPT_BELOW = 0.5


def scrambled_reference(answer: str, reference: str) -> Finding | None:
    reference_terms = [token.term for token in tokens(reference) if token.content]
    answer_terms = [token.term for token in tokens(answer) if token.content]
    if not reference_terms or not answer_terms:
        return None
    vocabulary = set(reference_terms)
    from_reference = sum(1 for term in answer_terms if term in vocabulary) / len(answer_terms)
    of_reference = len(vocabulary & set(answer_terms)) / len(vocabulary)
    if from_reference < _FROM_REFERENCE or of_reference < _OF_REFERENCE:
        return None
    positions: dict[str, list[int]] = {}
    for index, term in enumerate(answer_terms):
        positions.setdefault(term, []).append(index)
    pairs = {
        (first, second)
        for first, second in pairwise(reference_terms)
        if first != second and first in positions and second in positions
    }
    if len(pairs) < _MIN_PAIRS:
        return None
    kept = sum(1 for first, second in pairs if _follows(positions[first], positions[second]))
    if kept / len(pairs) >= _KEPT_BELOW:
        return None
    return Finding(
        SCRAMBLED,
        "the reference's words out of order",
        cap=SCRAMBLED_CAP,
    )


def _follows(first: list[int], second: list[int]) -> bool:
    return any(0 < after - before <= _NEIGHBOURS for before in first for after in second)
