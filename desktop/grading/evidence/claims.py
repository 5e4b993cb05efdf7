"""What word-level analysis can honestly tell about a claim: its direction and its subject.

Word matching alone counts "FP16 has a larger range" as support for "FP16 has a smaller range",
and "FSDP shards the model" as support for "DDP keeps a full copy" when both are mentioned.
Two checks catch the plain cases:

- **Direction**: comparative words carry a sign on a dimension (larger/smaller, faster/slower,
  better/worse, increases/reduces); a negation flips it. The answer's sentence that best matches
  a key point contradicts it when it gives the opposite sign on a dimension the point states;
  so does one that gives a named thing the opposite sign ("DDP is slower" against "DDP: faster").
- **Subject**: when the question names several things (DDP and FSDP, DataParallel and DDP), a
  key point about one of them must be claimed of that one. A sentence without a named thing
  speaks of the last one named ("It shards ..."). A claim found only attached to another of the
  named things is a swapped role.

Neither can see meaning; the model's verdicts do that. These checks only withhold support.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from desktop.grading.evidence.terms import Token, stem, tokens

_UP = """larger bigger greater wider broader more higher longer increase increases increased
increasing grow grows growing expand expands raise raises exceed exceeds"""
_DOWN = """smaller narrower less fewer lower shorter decrease decreases decreased decreasing
reduce reduces reduced reducing shrink shrinks shrinking limited lowers"""
_POLES: tuple[tuple[str, str, int], ...] = (
    (_UP, "magnitude", 1),
    (_DOWN, "magnitude", -1),
    ("faster quicker speeds speedup accelerates", "speed", 1),
    ("slower slows slowdown", "speed", -1),
    ("better improves improved", "quality", 1),
    ("worse degrades degraded degradation hurts", "quality", -1),
)
_POLAR_WORDS: dict[str, tuple[str, int]] = {
    word: (dimension, sign) for words, dimension, sign in _POLES for word in words.split()
}
POLAR_TERMS: dict[str, tuple[str, int]] = {stem(word): pole for word, pole in _POLAR_WORDS.items()}
# Saying one of these is not so ("not needed") denies the thing named; these words deny it plainly.
_NEEDED = frozenset(
    stem(word)
    for word in ("need", "needed", "required", "necessary", "matters", "helps", "useful", "works")
)
_DENIAL = frozenset(
    stem(word) for word in ("unnecessary", "avoid", "useless", "pointless", "irrelevant", "harmful")
)
_MIN_SENTENCE_SUPPORT = 0.4
_SWAP_MARGIN = 0.15
_MIN_NEGATED_SUPPORT = 0.5
_MIN_DIRECTION_SUPPORT = 0.3


@dataclass(frozen=True)
class Sentence:
    """One sentence of the answer: its content tokens and the named things it speaks of."""

    terms: frozenset[str]  # stated plainly
    negated: frozenset[str]  # stated under a negation only
    tokens: tuple[Token, ...]
    subjects: frozenset[str]


def polarity(found: Sequence[Token]) -> set[tuple[str, str, int]]:
    """The (dimension, what, sign) triples a run of tokens asserts: "larger range" is
    (magnitude, range, +1); a negated comparative flips. `what` is the nearest other content
    word, the one after the comparative first ("" when there is none)."""
    poles = set()
    for index, token in enumerate(found):
        pole = POLAR_TERMS.get(token.term)
        if pole is None:
            continue
        what = ""
        for offset in (1, -1, 2, -2):
            near = index + offset
            if 0 <= near < len(found) and found[near].term not in POLAR_TERMS:
                what = found[near].term
                break
        poles.add((pole[0], what, -pole[1] if token.negated else pole[1]))
    return poles


def split_sentences(
    sentences: Sequence[Sequence[Token]], entities: frozenset[str]
) -> tuple[Sentence, ...]:
    """The answer's sentences, each with the named things it speaks of (carried forward)."""
    result = []
    current: frozenset[str] = frozenset()
    for found in sentences:
        terms = frozenset(token.term for token in found if token.content and not token.negated)
        negated = frozenset(token.term for token in found if token.negated) - terms
        named = frozenset(term for term in terms if term in entities)
        current = named or current
        result.append(Sentence(terms, negated, tuple(found), current))
    return tuple(result)


@dataclass(frozen=True)
class Claim:
    """A key point's terms with their weights, and which of them it states under a negation."""

    weights: dict[str, float]
    negated: frozenset[str]

    @classmethod
    def of(cls, point_tokens: Sequence[Token], weights: dict[str, float]) -> Claim:
        negated = frozenset(token.term for token in point_tokens if token.negated)
        return cls(weights, negated)

    def without(self, excluded: Iterable[str]) -> Claim:
        dropped = set(excluded)
        kept = {term: weight for term, weight in self.weights.items() if term not in dropped}
        return Claim(kept, self.negated)


def _support(claim: Claim, sentence: Sentence) -> float:
    """The share of the claim a sentence makes, each term with the point's own sign."""
    total = sum(claim.weights.values())
    if total <= 0:
        return 0.0
    said = sum(
        weight
        for term, weight in claim.weights.items()
        if term in (sentence.negated if term in claim.negated else sentence.terms)
    )
    return said / total


def attributed_polarity(
    found: Sequence[Token], entities: frozenset[str]
) -> set[tuple[str, str, int]]:
    """The (dimension, named thing, sign) triples a run of tokens asserts: in "FSDP is faster;
    DDP is slower" each comparative belongs to the named thing nearest before it."""
    poles = set()
    owner = ""
    for token in found:
        if token.term in entities:
            owner = token.term
            continue
        pole = POLAR_TERMS.get(token.term)
        if pole is not None and owner:
            poles.add((pole[0], owner, -pole[1] if token.negated else pole[1]))
    return poles


def opposite_direction(
    point_tokens: Sequence[Token],
    sentences: Sequence[Sentence],
    entities: frozenset[str] = frozenset(),
) -> bool:
    """A sentence that makes the point's claim gives the opposite direction of the same thing,
    or the answer says of a named thing the opposite of what the point says of it ("DDP is
    slower" against "DDP: faster") and never what the point says."""
    # A point that gives one thing both directions states a condition and its remedy ("batch
    # size too large → reduce the batch size"), not a direction an answer could contradict.
    poles = polarity(point_tokens)
    stated = {
        (dimension, what, sign)
        for dimension, what, sign in poles
        if (dimension, what, -sign) not in poles
    }
    if not stated:
        return False
    claim = Claim.of(point_tokens, {t.term: 1.0 for t in point_tokens}).without(POLAR_TERMS)
    for sentence in sentences:
        if _support(claim, sentence) < _MIN_DIRECTION_SUPPORT:
            continue
        said = polarity(sentence.tokens)
        for dimension, what, sign in stated:
            if (dimension, what, -sign) in said and (dimension, what, sign) not in said:
                return True
    attributed = attributed_polarity(point_tokens, entities)
    answered = set().union(*(attributed_polarity(s.tokens, entities) for s in sentences))
    return any(
        (dimension, owner, -sign) in answered and (dimension, owner, sign) not in answered
        for dimension, owner, sign in attributed
    )


def denies(sentence: Sentence) -> bool:
    """The sentence says that what it names is not needed or to be avoided ("gradient scaling
    is not needed", "avoid BF16"), which negates its subject, not only its verb."""
    return any(
        token.term in _NEEDED if token.negated else token.term in _DENIAL
        for token in sentence.tokens
    )


def negated_claim(point_tokens: Sequence[Token], sentences: Sequence[Sentence]) -> bool:
    """A sentence that makes most of the point's claim negates a word of it ("small gradients
    cannot underflow" against "small gradients underflow"), or denies what it names while no
    other sentence makes the claim plainly."""
    if any(token.negated for token in point_tokens):
        return False  # a point that negates something is checked the other way round
    stated = {
        token.term
        for token in point_tokens
        if token.term not in POLAR_TERMS and not token.term[:1].isdigit()
    }
    if len(stated) < 2:
        return False
    denied = affirmed = False
    for sentence in sentences:
        support = len(stated & sentence.terms) / len(stated)
        negated = {token.term for token in sentence.tokens if token.negated}
        if (stated & negated) - sentence.terms and support >= _MIN_NEGATED_SUPPORT:
            return True
        if support >= _MIN_NEGATED_SUPPORT:
            if denies(sentence):
                denied = True
            else:
                affirmed = True
    return denied and not affirmed


def swapped_subject(claim: Claim, entities: frozenset[str], sentences: Sequence[Sentence]) -> bool:
    """The point's claim is made of another named thing than the one the point is about."""
    own = frozenset(term for term in claim.weights if term in entities)
    others = entities - own
    if not own or not others:
        return False
    claim = claim.without(entities)
    own_support = max((_support(claim, s) for s in sentences if s.subjects & own), default=0.0)
    other_support = max(
        (_support(claim, s) for s in sentences if s.subjects & others and not s.subjects & own),
        default=0.0,
    )
    return other_support >= _MIN_SENTENCE_SUPPORT and other_support > own_support + _SWAP_MARGIN


# A question that sets named things against each other says so.
_CONTRAST = re.compile(r"\b(?:differ\w*|vs\.?|versus|compar\w*|between|each|or|than)\b", re.I)
_WORD_AS_WRITTEN = re.compile(r"[A-Za-z][A-Za-z0-9]*")


def _names_in(prompt: str) -> set[str]:
    """The terms of the prompt's words written as names: acronyms and product names (DDP,
    FSDP, LoRA, BF16, DataParallel), not ordinary words ("model", "zero")."""
    names: set[str] = set()
    for word in _WORD_AS_WRITTEN.findall(prompt):
        capitals = sum(character.isupper() for character in word)
        if capitals >= 2 or (capitals and any(character.isdigit() for character in word)):
            names.update(token.term for token in tokens(word) if token.content)
    return names


def named_things(prompt: str, points_terms: Sequence[set[str]]) -> frozenset[str]:
    """The things a question that compares them names, which the key points are about (two or
    more, or none): DDP and FSDP in "the difference between DDP and FSDP". A question that
    compares nothing names no sides, so no answer to it can swap them."""
    if not _CONTRAST.search(prompt):
        return frozenset()
    named = frozenset(
        term for term in _names_in(prompt) if any(term in terms for terms in points_terms)
    )
    # A thing every point mentions is the topic, not one side of a comparison.
    sides = frozenset(term for term in named if not all(term in t for t in points_terms))
    return sides if len(sides) >= 2 else frozenset()
