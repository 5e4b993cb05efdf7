"""Reading the model's reply: per-key-point verdicts and feedback, validated after parsing.

The grammar shapes the reply, but a reply cut short, from a server that ignores the schema, or
with stray values must still be refused here rather than trusted.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

from desktop.core.grades import Verdict
from desktop.grading.backend import MalformedReply
from desktop.grading.prompts import point_key

VERDICT_VALUE = {Verdict.COVERED: 1.0, Verdict.PARTIAL: 0.5, Verdict.MISSING: 0.0}


@dataclass(frozen=True)
class ModelReply:
    verdicts: tuple[Verdict, ...]
    feedback: str

    @property
    def score(self) -> float:
        if not self.verdicts:
            return 0.0
        return sum(VERDICT_VALUE[verdict] for verdict in self.verdicts) / len(self.verdicts)


def parse_reply(text: str, point_count: int) -> ModelReply:
    """The reply as verdicts and feedback; raises `MalformedReply` when it is not usable."""
    try:
        # Control characters inside strings are harmless here; some grammars let them through.
        data = json.loads(text, strict=False)
    except json.JSONDecodeError as error:
        raise MalformedReply(f"the model's reply is not valid JSON ({error.msg})") from error
    if not isinstance(data, dict):
        raise MalformedReply("the model's reply is not a JSON object")
    verdicts = []
    for index in range(point_count):
        value = data.get(point_key(index))
        try:
            verdicts.append(Verdict(str(value).strip().lower()))
        except ValueError:
            raise MalformedReply(
                f"the model gave no valid verdict for key point {index + 1} ({value!r})"
            ) from None
    feedback = data.get("feedback", "")
    if not isinstance(feedback, str):
        raise MalformedReply("the model's feedback is not text")
    return ModelReply(tuple(verdicts), feedback.strip())


_FEEDBACK_START = re.compile(r'"feedback"\s*:\s*"')


class FeedbackStream:
    """Pulls the feedback string out of a reply while it streams, so it can be shown early."""

    def __init__(self) -> None:
        self._text = ""
        self._sent = 0

    def feed(self, chunk: str) -> str:
        """The feedback characters that became complete with this chunk."""
        self._text += chunk
        match = _FEEDBACK_START.search(self._text)
        if match is None:
            return ""
        decoded = _decode_partial(self._text[match.end() :])
        delta = decoded[self._sent :]
        self._sent = len(decoded)
        return delta


_ESCAPES = {'"': '"', "\\": "\\", "/": "/", "b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t"}


def _decode_partial(raw: str) -> str:
    """Decodes a JSON string body up to its closing quote or the last complete character."""
    out: list[str] = []
    index = 0
    while index < len(raw):
        char = raw[index]
        if char == '"':
            break
        if char != "\\":
            out.append(char)
            index += 1
            continue
        if index + 1 >= len(raw):
            break
        code = raw[index + 1]
        if code == "u":
            digits = raw[index + 2 : index + 6]
            if len(digits) < 4:
                break
            if all(digit in "0123456789abcdefABCDEF" for digit in digits):
                out.append(chr(int(digits, 16)))
            index += 6
            continue
        out.append(_ESCAPES.get(code, code))
        index += 2
    return "".join(out)
