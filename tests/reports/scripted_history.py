"""A known history for report tests: a fixed clock and scripted reviews written through the ORM.

Every number the tests expect follows from this script by hand; the tests show the arithmetic.
Also used by the storage and command-line tests of reports.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from desktop.core.review.schedule_settings import ScheduleSettings
from desktop.storage.database import Database
from desktop.storage.schema import (
    CardRow,
    DeckRow,
    PracticeSessionRow,
    QuestionRow,
    ReviewRow,
    TopicRow,
)

NOW = datetime(2025, 3, 31, 12, 0, tzinfo=UTC)
SETTINGS = ScheduleSettings(timezone="UTC", day_starts_at_hour=0)
LISTS = "1 Basics > Lists"
DICTS = "1 Basics > Dicts"
THREADS = "2 Concurrency"
SMOL = "SmolLM2-135M-Instruct"
QWEN = "qwen2.5-0.5b"


def at(day: int, hour: int = 9, minute: int = 0, month: int = 3) -> datetime:
    return datetime(2025, month, day, hour, minute, tzinfo=UTC)


def verdicts(**points: str) -> list[dict[str, str]]:
    return [{"text": t.replace("_", " "), "verdict": v, "evidence": ""} for t, v in points.items()]


# (question, when, status, score, rating, suggested, overridden, duration s, model, session, kps)
REVIEWS: list[tuple[Any, ...]] = [
    (1, at(1), "graded", 0.5, 2, 2, False, 40, SMOL, None, verdicts(filter_clause="missing")),
    (1, at(26), "graded", 0.6, 3, 3, False, 60, SMOL, 1, verdicts(filter_clause="missing")),
    (2, at(27), "graded", 0.3, 2, 1, True, 90, SMOL, None, verdicts(shallow_copy="missing")),
    (3, at(28, 9, 0), "self-rated", None, 1, None, False, 30, "", None, []),
    (
        3,
        at(28, 9, 5),
        "graded",
        0.4,
        1,
        1,
        False,
        45,
        QWEN,
        None,
        verdicts(insertion_order="partial"),
    ),
    (4, at(30, 10, 0), "graded", 0.2, 1, 1, False, 120, SMOL, 2, verdicts(bytecode_lock="missing")),
    (3, at(30, 10, 5), "ungraded", None, 3, None, False, 100, SMOL, 2, []),
    (
        1,
        at(30, 18, 0),
        "graded",
        0.8,
        4,
        3,
        True,
        50,
        SMOL,
        None,
        verdicts(filter_clause="covered"),
    ),
    (
        3,
        at(31, 9, 0),
        "graded",
        0.9,
        3,
        4,
        True,
        20,
        QWEN,
        None,
        verdicts(insertion_order="covered"),
    ),
]


# A reference as notes write it: a bold label with a list right under it, nested items, a
# table and code.
GIL_REFERENCE = """**The bytecode lock**:
- One thread runs Python bytecode at a time
  - I/O releases it
- C extensions may release it

| work | threads help |
|---|---|
| I/O bound | yes |

```python
import threading
```"""


@dataclass(frozen=True)
class QuestionSpec:
    topic: str
    prompt: str
    status: str = "active"
    reference: str = "..."
    # (state, stability, difficulty, last review, due, reps, lapses) or None: never seen
    card: tuple[Any, ...] | None = None


QUESTIONS = [
    QuestionSpec(
        LISTS,
        "What does a list comprehension return?",
        card=("review", 30.0, 4.5, at(30, 18), at(29, 18, month=4), 3, 0),
    ),
    QuestionSpec(
        LISTS,
        "Does slicing a list copy it?",
        card=("review", 5.0, 6.0, at(27), at(2, month=4), 1, 0),
    ),
    QuestionSpec(
        DICTS, "Are dicts ordered?", card=("relearning", 2.0, 7.25, at(31), at(31, 9, 10), 4, 1)
    ),
    QuestionSpec(
        THREADS,
        "What is the GIL?",
        reference=GIL_REFERENCE,
        card=("review", 10.0, 5.0, at(20), at(30), 1, 1),
    ),
    QuestionSpec(THREADS, "asyncio or threads?"),
    QuestionSpec(
        DICTS,
        "How do dict views behave?",
        status="suspended",
        card=("review", 50.0, 3.0, at(1), at(20, month=5), 2, 0),
    ),
]


def write_history(database: Database) -> None:
    with database.session() as session:
        deck = DeckRow(
            name="python-notes",
            source_path="/notes/python.md",
            title="Python notes",
            content_hash="0" * 64,
            imported_at=at(1, 8),
        )
        session.add(deck)
        session.flush()
        topics: dict[str, TopicRow] = {}
        for path in (LISTS, DICTS, THREADS):
            topics[path] = TopicRow(deck_id=deck.id, path=path)
            session.add(topics[path])
        session.flush()
        for position, spec in enumerate(QUESTIONS, start=1):
            session.add(
                QuestionRow(
                    id=position,
                    deck_id=deck.id,
                    topic_id=topics[spec.topic].id,
                    identity=f"qa:Q{position}",
                    kind="qa",
                    prompt=spec.prompt,
                    reference=spec.reference,
                    key_points=[],
                    wrong_answer=None,
                    tags=[],
                    source_file="python.md",
                    source_line=position * 10,
                    source_hash="0" * 64,
                    status=spec.status,
                    position=position,
                    created_at=at(1, 8),
                    updated_at=at(1, 8),
                )
            )
        session.flush()  # no ORM relationships, so parents are flushed before their children
        for position, spec in enumerate(QUESTIONS, start=1):
            if spec.card is not None:
                state, stability, difficulty, last, due, reps, lapses = spec.card
                session.add(
                    CardRow(
                        question_id=position,
                        state=state,
                        step=None,
                        stability=stability,
                        difficulty=difficulty,
                        due=due,
                        last_review=last,
                        reps=reps,
                        lapses=lapses,
                    )
                )
        session.add(
            PracticeSessionRow(
                id=1, kind="review", started_at=at(26, 8, 55), finished_at=at(26, 9, 5), config={}
            )
        )
        session.add(
            PracticeSessionRow(
                id=2,
                kind="mock",
                started_at=at(30, 9, 58),
                finished_at=at(30, 10, 18),
                config={"count": 2},
                counts_toward_schedule=False,
            )
        )
        session.flush()
        for (
            qid,
            when,
            status,
            score,
            rating,
            suggested,
            overridden,
            seconds,
            model,
            sid,
            kps,
        ) in REVIEWS:
            session.add(
                ReviewRow(
                    question_id=qid,
                    session_id=sid,
                    reviewed_at=when,
                    answer_text="answer",
                    duration_ms=seconds * 1000,
                    grade_status=status,
                    score=score,
                    key_point_verdicts=kps,
                    model=model,
                    grader_settings={},
                    suggested_rating=suggested,
                    rating=rating,
                    overridden=overridden,
                    counted=sid != 2,
                    flags=[],
                    card_before=None,
                    card_after=None,
                )
            )
