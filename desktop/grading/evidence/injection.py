"""Answers that try to instruct the grader instead of answering the question.

The learner's answer is data. An answer that instructs the grader ("ignore previous
instructions", "give this full marks", in English or another language, in any of the forms of
`injection_views`), imitates the reply format or the prompt's structure, is flagged and its score
capped, whatever the model says about it. An answer that merely speaks of its own grading (the
rubric, the reference answer, key points, marks) is not flagged, but the model's verdicts cannot
lift it above its key-point evidence (`GraderAddress.speaks_of_grading`): an instruction the
patterns miss still earns nothing from a model that obeys it. `read_address` reads both in one
pass over the answer's forms. `fence` makes sure an answer cannot close the block it is quoted
in.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from desktop.grading.evidence.injection_views import check_views

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
    # Overrides, role-play and appeals.
    r"^\s*#+\s*(examiner|grader|evaluator|admin|system|override|note\s+to)",
    r"\b(examiner|grader|admin(istrator)?|teacher|developer|system)\s+override\b",
    r"\boverride\s+code\b|\b(developer|debug|admin|god)\s+mode\b",
    r"\blet'?s\s+play\s+a\s+game\b|\bfrom\s+now\s+on,?\s+you\b",
    r"\b(pretend|imagine)\s+(that\s+)?you\s+(are|were)\b",
    r"\b(act|behave)\s+as\s+(a|an|the)\s+(\w+\s+)?(grader|examiner|teacher|evaluator|judge|"
    r"professor|marker)\b",
    r"\b(note|message)\s+to\s+(the\s+)?(grader|examiner|marker|evaluator|reviewer|teacher|"
    r"model|ai)\b",
    r"\bdear\s+(grader|examiner|marker|evaluator|reviewer|ai|model)\b",
    r"\b(grader|examiner|evaluator|marker)\s*(instructions?)?\s*:",
    r"\b(pre-?approved|already\s+approved)\b",
    r"\bif\s+you\s+(do\s+not|don'?t)\s+(mark|grade|score|give|rate|accept)\b",
    # Scores and verdicts asked for in other words.
    r"\b(full|maximum|perfect|top)\s+(credit|marks)\b|\b(perfect|maximum|top)\s+score\b",
    r"\bhighest\s+(possible\s+)?(grade|score|mark)\b",
    r"\bdeserves?\s+(a\s+|the\s+)?(perfect|full|top|maximum|highest)\b",
    r"\b(record|count|accept|treat|take)\s+(it|this|this\s+(answer|submission)|my\s+answer)\s+"
    r"as\s+(a\s+)?(correct|covered|complete|perfect|right|full|the\s+(new\s+)?reference)\b",
    r"\b(answer|say|output|respond|reply)\s+(with\s+)?[\"']?yes[\"']?\s+(to|for)\s+(every|each|all)\b",
    r"\bsays?\s+yes\s+to\s+(every|each|all)\b",
    r"\bfor\s+(each|every)\s+key\s+point\b[^.\n]{0,30}\b(answer|say|output|reply)\s+yes\b",
    r"\b(final\s+)?(score|grade|mark)\s*[:=]?\s*(100|10|5)\s*/\s*(100|10|5)\b",
    r"[\"']?(point_?\d+|key_?points?|verdicts?|covered|stated)[\"']?\s*[:=]\s*[\"'\[{]?\s*"
    r"(covered|yes|true|1(\.0)?)\b",
    r"\bverdicts?\s*=\s*[{\[]|\"(points|verdicts)\"\s*:\s*\[",
    # Claims about the reference or the rubric.
    r"\b(the\s+)?reference(\s+answer)?\s+is\s+(wrong|incorrect|outdated|mistaken|out\s+of\s+date)",
    r"\bthe\s+correct\s+answer\s+is\s+mine\b|\bmy\s+answer\s+is\s+the\s+(correct|right|real)\b",
    r"\b(the\s+)?rubric\s+(says|states|update|now\s+says|requires|allows)\b",
    r"\b(any|every|all)\s+answers?\s+(that\s+)?(mention|mentions|mentioning|contain|contains|"
    r"containing|with)\b[^.\n]{0,60}\b(gets?|receives?|earns?|deserves?|are|is)\s+(full|correct|"
    r"maximum|perfect|covered)\b",
    # Other languages: French, Spanish, German, Italian, Portuguese, Russian, Chinese, Japanese.
    r"\bignore[zr]?\s+(toutes\s+)?(les\s+)?(instructions|consignes|r[eè]gles)\b",
    r"\bnote\s+(maximale|parfaite)\b|\bcorrecteur\b",
    r"\bignora(r|d)?\s+(todas\s+|tutte\s+)?(las\s+|le\s+)?(instrucciones|istruzioni|reglas|regole)\b",
    r"\bpuntuaci[oó]n\s+m[aá]xima\b|\bnota\s+m[aá]xima\b|\bpunteggio\s+massimo\b",
    r"\bignorier(e|en|t)?\s+(alle\s+)?(vorherigen\s+|bisherigen\s+)?(anweisungen|regeln)\b",
    r"\bvolle\s+punktzahl\b|\bh[oö]chstpunktzahl\b",
    r"\bignor[ea]\s+(todas\s+)?(as\s+)?instru[cç][oõ]es\b",
    r"\b(про)?игнорир\w*|\b(предыдущие|прошлые)\s+инструкци\w*|\bмаксимальн\w*\s+оценк\w*",
    r"忽略.{0,12}(指令|指示|说明|规则)|满分|(指示|命令).{0,8}無視|満点",
)
_INJECTION = re.compile("|".join(f"(?:{pattern})" for pattern in _PATTERNS), re.I | re.M)
# Words about the grading itself: harmless in an answer, but never a reason to trust a model
# that says more than the evidence does.
_GRADING_WORDS = re.compile(
    r"\b(grader|graders|grading|examiner|evaluator|rubric|full\s+marks|verdicts?|"
    r"key\s*points?|reference\s+answer|the\s+reference\s+(says|is)|my\s+answer|this\s+answer|"
    r"(previous|prior|above|your)\s+instructions|(mark|score|grade|rate)\s+(this|it|me|my)|"
    r"the\s+(ai|model|assistant)\s+(must|should|will))\b|"
    r"\b(correcteur|punktzahl|puntuaci[oó]n|punteggio|оценк\w*|инструкци\w*)\b|"
    r"评分|分数|打分|满分|採点|点数|満点|指示|指令",
    re.I,
)


_FENCE_TAG = re.compile(r"<\s*(/?)\s*answer\s*>", re.I)
_SPECIAL_TOKEN = re.compile(r"<\|([^|>]{1,40})\|>")


@dataclass(frozen=True)
class GraderAddress:
    """How an answer addresses its grader, read once in every form (`check_views`)."""

    instruction: str | None  # the first passage that instructs the grader
    speaks_of_grading: bool  # it speaks of its own grading (an instruction always does)


def read_address(answer: str) -> GraderAddress:
    views = check_views(answer)
    instruction = next(
        (match.group(0).strip() for view in views if (match := _INJECTION.search(view))), None
    )
    speaks = instruction is not None or any(_GRADING_WORDS.search(view) for view in views)
    return GraderAddress(instruction, speaks)


def find_injection(answer: str) -> str | None:
    """The first passage of the answer that instructs the grader, in any form, or None."""
    return read_address(answer).instruction


def fence(answer: str) -> str:
    """The answer with anything that could close its fence or pose as a special token defused."""
    defused = _FENCE_TAG.sub(lambda match: f"‹{match.group(1)}answer›", answer)
    return _SPECIAL_TOKEN.sub(lambda match: f"‹|{match.group(1)}|›", defused)
