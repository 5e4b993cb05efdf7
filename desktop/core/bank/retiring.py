"""When an import retires enough questions that it should ask first.

A notes file cut short (saved half-written, a block lost in an edit) still parses, and
importing it would retire every question it no longer holds. So an import that would retire
more than `QUIET_RETIREMENTS` questions of a deck, or at least two that are more than
`QUIET_RETIRED_SHARE` of the deck's questions, is not applied until the learner confirms it
(the preview asks; the command line wants `--allow-retire`). Retired questions keep their
history and come back when the notes hold them again.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from desktop.core.errors import VivaError

QUIET_RETIREMENTS = 3
QUIET_RETIRED_SHARE = 0.2


@dataclass(frozen=True)
class LargeRetirement:
    """An import would retire `retired` of the `questions` a deck holds (not counting the ones
    retired before)."""

    deck: str
    retired: int
    questions: int

    def sentence(self) -> str:
        return (
            f'{self.retired} of the {self.questions} questions of the deck "{self.deck}" '
            "would be retired (they are no longer in the notes)"
        )

    def as_json(self) -> dict[str, object]:
        return {"deck": self.deck, "retired": self.retired, "questions": self.questions}


def needs_confirmation(retired: int, questions: int) -> bool:
    """Whether retiring `retired` of a deck's `questions` must be confirmed first."""
    if retired > QUIET_RETIREMENTS:
        return True
    return retired >= 2 and retired > QUIET_RETIRED_SHARE * questions


def retirement_sentence(found: Sequence[LargeRetirement]) -> str:
    """What the learner is asked to confirm, one sentence for every deck."""
    total = sum(item.retired for item in found)
    parts = "; ".join(item.sentence() for item in found)
    return f"This import would retire {total} question(s): {parts}. Is a notes file cut short?"


class RetirementNotConfirmed(VivaError):
    """The import would retire many questions and nobody confirmed it; nothing was written."""

    def __init__(self, found: Sequence[LargeRetirement]) -> None:
        self.found = tuple(found)
        self.retired = sum(item.retired for item in found)
        super().__init__(f"{retirement_sentence(found)} Nothing was changed.")
