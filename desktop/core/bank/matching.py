"""Which stored question a re-imported notes question is: found by its content, not its number.

Notes number their questions ("**Q7**"), and numbers move: a question inserted at the top
renumbers every one below it. So each question of the notes is matched to the stored question
of its deck that says the same thing. The steps run in order, each among the questions (of the
same kind) that no earlier step matched:

1. the same notes text: the whole question, word for word;
2. the same prompt: the same words, ignoring case, punctuation and Markdown;
3. prompt and answer together at least `MOVED_SIMILARITY` alike, whatever the numbers;
4. the same number, when prompt and answer are still at least `SAME_PLACE_SIMILARITY` alike.

Similarity is the Jaccard index of the two questions' sets of words (prompt and reference
together, lower-cased): the words both use over the words either uses. Within a step, ties go
to the same number, then to a question not retired, then to the order of the notes. A notes
question left unmatched is new; a stored question left unmatched has left the notes.

Step 3 compares every unmatched question with every unmatched stored one; when that would be
more than `MAX_SIMILARITY_PAIRS` pairs (thousands of questions rewritten at once), it is
skipped and step 4 alone decides, so matching stays linear in the size of the notes.
"""

from __future__ import annotations

import re
from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from desktop.core.bank.questions import ParsedQuestion

MOVED_SIMILARITY = 0.6
SAME_PLACE_SIMILARITY = 0.4
MAX_SIMILARITY_PAIRS = 100_000

_WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class StoredQuestion:
    """What matching needs of a question already in the deck."""

    key: int  # the question's id
    identity: str
    kind: str
    prompt: str
    reference: str
    source_hash: str  # the hash of the notes' text it was last imported from
    live: bool  # not retired


class MatchedBy(StrEnum):
    TEXT = "text"
    PROMPT = "prompt"
    SIMILARITY = "similarity"
    NUMBER = "number"


@dataclass(frozen=True)
class Match:
    stored: StoredQuestion
    by: MatchedBy


def words(text: str) -> frozenset[str]:
    return frozenset(_WORD.findall(text.casefold()))


def similarity(first: frozenset[str], second: frozenset[str]) -> float:
    """The Jaccard index of two sets of words (1.0 for two empty sets)."""
    if not first and not second:
        return 1.0
    shared = len(first & second)
    return shared / (len(first) + len(second) - shared)


def question_similarity(
    prompt: str, reference: str, other_prompt: str, other_reference: str
) -> float:
    """How alike two questions are, prompt and reference together (see the module's text)."""
    return similarity(words(f"{prompt}\n{reference}"), words(f"{other_prompt}\n{other_reference}"))


def _prompt_key(prompt: str) -> str:
    found = _WORD.findall(prompt.casefold())
    return " ".join(found) if found else prompt.strip()


class _Pool:
    """Stored questions that share a key, handed out best first: the one with the same number,
    else the first one not retired, else the first retired one (each in constant time)."""

    def __init__(self, stored: Sequence[StoredQuestion]) -> None:
        self._stored = stored
        self._by_identity: dict[str, int] = {}
        self._live: deque[int] = deque()
        self._retired: deque[int] = deque()
        self._taken: set[int] = set()

    def add(self, index: int) -> None:
        candidate = self._stored[index]
        self._by_identity.setdefault(candidate.identity, index)
        (self._live if candidate.live else self._retired).append(index)

    def take(self, identity: str) -> int | None:
        same = self._by_identity.pop(identity, None)
        if same is not None and same not in self._taken:
            self._taken.add(same)
            return same
        for queue in (self._live, self._retired):
            while queue:
                index = queue.popleft()
                if index not in self._taken:
                    self._taken.add(index)
                    return index
        return None


class _Matcher:
    def __init__(
        self,
        parsed: Sequence[ParsedQuestion],
        hashes: Sequence[str],
        stored: Sequence[StoredQuestion],
    ) -> None:
        self.parsed = parsed
        self.hashes = hashes
        self.stored = stored
        self.result: list[Match | None] = [None] * len(parsed)
        self.pending = list(range(len(parsed)))  # notes questions not matched yet
        self.free = dict.fromkeys(range(len(stored)))  # stored questions not matched yet

    def _preference(self, index: int, stored_index: int) -> tuple[bool, bool, int]:
        candidate = self.stored[stored_index]
        same_number = candidate.identity == self.parsed[index].identity
        return (not same_number, not candidate.live, stored_index)

    def _take(self, index: int, stored_index: int, by: MatchedBy) -> None:
        self.result[index] = Match(self.stored[stored_index], by)
        del self.free[stored_index]

    def _settle(self) -> None:
        self.pending = [index for index in self.pending if self.result[index] is None]

    def by_key(self, by: MatchedBy) -> None:
        """Steps 1 and 2: an equal key (the notes text's hash, or the prompt's words)."""

        def parsed_key(index: int) -> tuple[str, str]:
            question = self.parsed[index]
            if by is MatchedBy.TEXT:
                return (question.kind.value, self.hashes[index])
            return (question.kind.value, _prompt_key(question.prompt))

        def stored_key(stored_index: int) -> tuple[str, str]:
            candidate = self.stored[stored_index]
            if by is MatchedBy.TEXT:
                return (candidate.kind, candidate.source_hash)
            return (candidate.kind, _prompt_key(candidate.prompt))

        pools: dict[tuple[str, str], _Pool] = {}
        for stored_index in self.free:
            pools.setdefault(stored_key(stored_index), _Pool(self.stored)).add(stored_index)
        for index in self.pending:
            pool = pools.get(parsed_key(index))
            chosen = pool.take(self.parsed[index].identity) if pool is not None else None
            if chosen is not None:
                self._take(index, chosen, by)
        self._settle()

    def by_similarity(self) -> None:
        """Step 3: the most alike pairs first, each at least `MOVED_SIMILARITY` alike."""
        if not self.pending or len(self.pending) * len(self.free) > MAX_SIMILARITY_PAIRS:
            return
        parsed_words = {index: self._parsed_words(index) for index in self.pending}
        stored_words = {index: self._stored_words(index) for index in self.free}
        pairs: list[tuple[float, bool, bool, int, int]] = []
        for index in self.pending:
            kind = self.parsed[index].kind.value
            for stored_index in self.free:
                if self.stored[stored_index].kind != kind:
                    continue
                alike = similarity(parsed_words[index], stored_words[stored_index])
                if alike >= MOVED_SIMILARITY:
                    other_number, retired, _ = self._preference(index, stored_index)
                    pairs.append((-alike, other_number, retired, index, stored_index))
        pairs.sort()
        for *_, index, stored_index in pairs:
            if self.result[index] is None and stored_index in self.free:
                self._take(index, stored_index, MatchedBy.SIMILARITY)
        self._settle()

    def by_number(self) -> None:
        """Step 4: the same number, while the text still matches."""
        numbered = {
            (self.stored[index].kind, self.stored[index].identity): index for index in self.free
        }
        for index in self.pending:
            question = self.parsed[index]
            stored_index = numbered.get((question.kind.value, question.identity))
            if stored_index is None or stored_index not in self.free:
                continue
            alike = similarity(self._parsed_words(index), self._stored_words(stored_index))
            if alike >= SAME_PLACE_SIMILARITY:
                self._take(index, stored_index, MatchedBy.NUMBER)
        self._settle()

    def _parsed_words(self, index: int) -> frozenset[str]:
        question = self.parsed[index]
        return words(f"{question.prompt}\n{question.reference}")

    def _stored_words(self, index: int) -> frozenset[str]:
        candidate = self.stored[index]
        return words(f"{candidate.prompt}\n{candidate.reference}")


def match_questions(
    parsed: Sequence[ParsedQuestion],
    hashes: Sequence[str],
    stored: Sequence[StoredQuestion],
) -> list[Match | None]:
    """For each notes question (`hashes[i]` the hash of `parsed[i]`'s text), the stored
    question it is, or None when it is new. Each stored question is matched at most once."""
    matcher = _Matcher(parsed, hashes, stored)
    matcher.by_key(MatchedBy.TEXT)
    matcher.by_key(MatchedBy.PROMPT)
    matcher.by_similarity()
    matcher.by_number()
    return matcher.result
