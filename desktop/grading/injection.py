"""Answers that try to instruct the grader instead of answering the question.

The learner's answer is data. An answer that addresses the grader ("ignore previous
instructions", "give this full marks"), imitates the reply format or the prompt's structure, is
flagged and its score capped, whatever the model says about it. `fence` makes sure an answer can
not close the block it is quoted in.
"""

from __future__ import annotations

import re

INJECTION_SCORE_CAP = 0.1

_SCORE_WORD = r"(marks?|scores?|points?|credit|grade|rating|stars?)"
_TOP = r"(full|maximum|max|perfect|top|highest|best|100\s*%?|10\s*/\s*10|5\s*/\s*5|1\.0)"
_PATTERNS: tuple[str, ...] = (
    r"\b(ignore|disregard|forget|skip)\s+(all\s+|any\s+|the\s+|your\s+|my\s+|these\s+|those\s+)*"
    r"(previous\s+|prior\s+|above\s+|earlier\s+|preceding\s+|system\s+|grading\s+|original\s+)?"
    r"(instructions?|prompts?|rules?|rubric|directions|reference(\s+answer)?|key\s*points)\b",
    r"\b(override|bypass)\b[^.\n]{0,30}\b(instructions?|prompts?|rules?|rubric|grader|grading)\b",
    r"\b(new|updated|real|actual)\s+instructions?\b",
    r"\byou\s+are\s+(now\s+)?(a|an|the|my)\s+(grader|assistant|examiner|judge|evaluator)\b",
    r"\b(you|grader|examiner|judge|evaluator)\s+(must|should|will|shall|need\s+to|have\s+to)\s+"
    r"(grade|mark|score|rate|award)\s+(this|it|me|my|the)\b",
    r"\b(give|award|assign|grant)\s+(me|this|it|my\s+answer|this\s+answer|the\s+answer)?\s*"
    r"(a\s+|the\s+)?" + _TOP + r"\s*" + _SCORE_WORD + r"?",
    r"\b(give|award|assign|grant|output|return|print)\s+(me|this|it|this\s+answer)?\s*(a\s+)?"
    + _SCORE_WORD
    + r"\s+(of\s+)?(100|10|5|1(\.0)?)\b",
    r"\b(score|grade|mark|rate)\s+(this|it|me|my\s+answer|this\s+answer)\s+(as\s+)?"
    r"(correct|covered|full|perfect|high(est)?|100|10|5|1\.0|a\+?)\b",
    r"\b(mark|treat|consider|count|label)\s+(all|every|each)?\s*(the\s+)?(key\s*points?|points?|"
    r"answers?|this|it)\s+(as\s+)?(covered|correct|complete|right)\b",
    r"\b(all|every)\s+(the\s+)?key\s*points?\s+(are|is|were)\s+(covered|correct|met)\b",
    r"^\s*(output|respond\s+with|reply\s+with|answer\s+with)\s+(a\s+)?"
    r"(score\s+of\s+)?(100|10|1\.0|covered)\s*[.!]?\s*$",
    r"\b(respond|reply)\s+(only\s+)?with\s+(\"|'|a\s+score|the\s+score|json|covered)",
    r"\"(point_\d+|verdicts?|feedback)\"\s*:",
    r"\"score\"\s*:\s*(100|10|5|1(\.0+)?)\b",
    r"\b(score|grade|verdict|rating)\s*[:=]\s*(100|10|10\s*/\s*10|5\s*/\s*5|1\.0|perfect|full|"
    r"max(imum)?|covered)\b",
    r"^\s*(system|assistant)\s*:",
    r"\bas\s+an?\s+(ai|language\s+model|grader)\b",
    r"\b(jailbreak|prompt\s+injection|do\s+anything\s+now)\b",
    r"</?\s*(answer|system|instructions?|reference)\s*>",
    r"<\|[a-z_]+\|>|<start_of_turn>|<end_of_turn>|\[/?INST\]|<</?SYS>>",
    r"^\s*#{2,}\s*(instruction|system|response|grade)",
)
_INJECTION = re.compile("|".join(f"(?:{pattern})" for pattern in _PATTERNS), re.I | re.M)
_FENCE_TAG = re.compile(r"<\s*(/?)\s*answer\s*>", re.I)
_SPECIAL_TOKEN = re.compile(r"<\|([^|>]{1,40})\|>")


def find_injection(answer: str) -> str | None:
    """The first passage of the answer that addresses the grader, or None."""
    match = _INJECTION.search(answer)
    return match.group(0).strip() if match else None


def fence(answer: str) -> str:
    """The answer with anything that could close its fence or pose as a special token defused."""
    defused = _FENCE_TAG.sub(lambda match: f"‹{match.group(1)}answer›", answer)
    return _SPECIAL_TOKEN.sub(lambda match: f"‹|{match.group(1)}|›", defused)
