"""Model output that parses but says nothing: repetition, an echo of the answer, empty feedback.

Small models under a grammar often loop ("the answer is correct. the answer is correct. ...") or
copy the learner's words back. Such output is a model failure, not a grade.
"""

from __future__ import annotations

import re
from collections import Counter

_WORD = re.compile(r"\w+")
_ECHO_SPAN = 8
_REPEATED_NGRAM = 5
_MIN_FEEDBACK_WORDS = 3
# Feedback that only repeats verdicts ("covered, covered") says nothing.
_VERDICT_WORDS = frozenset({"covered", "partial", "missing", "point", "feedback"})


def _words(text: str) -> list[str]:
    return _WORD.findall(text.lower())


def repetition(text: str) -> bool:
    """True when some 5-word run appears twice (feedback is one or two sentences), or few words
    are distinct, or a short stretch of characters repeats over and over."""
    words = _words(text)
    if len(words) >= _REPEATED_NGRAM * 2:
        grams = Counter(
            tuple(words[i : i + _REPEATED_NGRAM]) for i in range(len(words) - _REPEATED_NGRAM + 1)
        )
        if grams.most_common(1)[0][1] >= 2:
            return True
    if len(words) >= 16 and len(set(words)) / len(words) < 0.35:
        return True
    return bool(re.search(r"(.{2,20}?)\1{4,}", text))


def echoes(feedback: str, answer: str) -> bool:
    """True when the feedback copies an 8-word run of `answer` (or of the instructions)."""
    feedback_words = _words(feedback)
    answer_words = _words(answer)
    if len(feedback_words) < _ECHO_SPAN or len(answer_words) < _ECHO_SPAN:
        return False
    answer_spans = {
        tuple(answer_words[i : i + _ECHO_SPAN]) for i in range(len(answer_words) - _ECHO_SPAN + 1)
    }
    return any(
        tuple(feedback_words[i : i + _ECHO_SPAN]) in answer_spans
        for i in range(len(feedback_words) - _ECHO_SPAN + 1)
    )


def degeneration(
    feedback: str, answer: str, finish_reason: str, instructions: str = ""
) -> str | None:
    """Why the output is unusable, or None when it is fine."""
    if finish_reason == "length":
        return "the model ran out of room before finishing its reply"
    if len([word for word in _words(feedback) if word not in _VERDICT_WORDS]) < _MIN_FEEDBACK_WORDS:
        return "the model gave no feedback"
    if repetition(feedback):
        return "the model repeated itself"
    if echoes(feedback, answer):
        return "the model echoed the answer instead of judging it"
    if instructions and echoes(feedback, instructions):
        return "the model echoed its instructions instead of judging the answer"
    return None
