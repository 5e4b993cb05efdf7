"""Decoding history rows in bulk: stored timestamps and verdict lists, enums, card rows.

A report reads a year of reviews at once (about 20,000 rows), so the per-row cost matters:
timestamps and JSON arrive as the stored text and are decoded here, enums are looked up in
dicts (calling an Enum class is slow), and identical key-point verdicts share one object.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime

from desktop.core.grading.grades import KeyPointVerdict, Verdict
from desktop.core.review.cards import CardSnapshot, CardState, Rating, ReviewStatus
from desktop.storage.schema import CardRow

STATUSES = {status.value: status for status in ReviewStatus}
RATINGS = {int(rating): rating for rating in Rating}
_VERDICTS = {verdict.value: verdict for verdict in Verdict}


def utc_timestamp(text: str) -> datetime:
    """A timestamp as `columns.UTCDateTime` stores it (ISO 8601, UTC)."""
    moment = datetime.fromisoformat(text)
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


class VerdictReader:
    """Key-point verdicts from their stored JSON, without the evidence (reports do not show
    it). Every review with the same (key point, verdict) pair shares one object; entries this
    version cannot read are skipped."""

    def __init__(self) -> None:
        self._known: dict[tuple[str, str], KeyPointVerdict] = {}

    def read(self, raw: str | None) -> tuple[KeyPointVerdict, ...]:
        if not raw or raw == "[]":
            return ()
        try:
            entries = json.loads(raw)
        except ValueError:
            return ()
        found = []
        for entry in entries if isinstance(entries, list) else ():
            if not isinstance(entry, dict):
                continue
            key = (str(entry.get("text", "")), str(entry.get("verdict", "")))
            verdict = self._known.get(key)
            if verdict is None:
                if key[1] not in _VERDICTS:
                    continue
                verdict = self._known[key] = KeyPointVerdict(key[0], _VERDICTS[key[1]])
            found.append(verdict)
        return tuple(found)


def card_snapshot(card: CardRow) -> CardSnapshot:
    return CardSnapshot(
        question_id=card.question_id,
        state=CardState(card.state),
        due=card.due,
        step=card.step,
        stability=card.stability,
        difficulty=card.difficulty,
        last_review=card.last_review,
        reps=card.reps,
        lapses=card.lapses,
        buried_until=card.buried_until,
    )
