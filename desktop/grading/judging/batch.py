"""Grading many answers from JSON lines: reading the lines, grouping answers by question so each
prompt prefix is evaluated once, and writing one result line per input line.

A bad line never stops the batch: it becomes an `ungraded` result with the reason.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from desktop.core.grading.grades import Grade, Grader, GradingTask

TaskLookup = Callable[[int], GradingTask]


@dataclass(frozen=True)
class BatchItem:
    """One input line: a task and an answer, or the reason it cannot be graded."""

    line: int
    id: Any
    task: GradingTask | None
    answer: str
    problem: str = ""


def _parse(line_number: int, raw: bytes, lookup: TaskLookup) -> BatchItem:
    fallback_id: Any = line_number
    try:
        data = json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        return BatchItem(line_number, fallback_id, None, "", "the line is not UTF-8 text")
    except json.JSONDecodeError as error:
        return BatchItem(line_number, fallback_id, None, "", f"not valid JSON ({error.msg})")
    if not isinstance(data, dict):
        return BatchItem(line_number, fallback_id, None, "", "not a JSON object")
    item_id = data.get("id", fallback_id)
    answer = data.get("answer")
    if not isinstance(answer, str):
        return BatchItem(line_number, item_id, None, "", 'needs "answer" as text')
    try:
        task = _task(data, lookup)
    except (LookupError, ValueError, TypeError) as error:
        return BatchItem(line_number, item_id, None, answer, str(error))
    return BatchItem(line_number, item_id, task, answer)


def _task(data: dict[str, Any], lookup: TaskLookup) -> GradingTask:
    if "question_id" in data:
        question_id = data["question_id"]
        if not isinstance(question_id, int) or isinstance(question_id, bool):
            raise ValueError('"question_id" must be a whole number')
        return lookup(question_id)
    question, reference = data.get("question"), data.get("reference")
    if not isinstance(question, str) or not isinstance(reference, str) or not reference.strip():
        raise ValueError('needs "question" and "reference" as text, or a "question_id"')
    key_points = data.get("key_points", [])
    if not isinstance(key_points, list) or not all(isinstance(p, str) for p in key_points):
        raise ValueError('"key_points" must be a list of texts')
    # Without stored key points the grader extracts them from the reference as the importer
    # does (`derive_key_points`).
    return GradingTask(question, reference, tuple(key_points))


def read_items(lines: Iterable[bytes], lookup: TaskLookup) -> list[BatchItem]:
    items = []
    for number, raw in enumerate(lines, start=1):
        if raw.strip():
            items.append(_parse(number, raw.strip(), lookup))
    return items


def grouped(items: list[BatchItem]) -> list[list[BatchItem]]:
    """Answers to the same question together, questions in order of first appearance."""
    groups: dict[GradingTask, list[BatchItem]] = {}
    for item in items:
        if item.task is not None:
            groups.setdefault(item.task, []).append(item)
    return list(groups.values())


def result_line(item: BatchItem, grade: Grade) -> dict[str, Any]:
    return {
        "id": item.id,
        "status": grade.status.value,
        "score": grade.score,
        "key_points": [{"text": kp.text, "verdict": kp.verdict.value} for kp in grade.key_points],
        "feedback": grade.feedback,
        "reason": grade.reason,
        "model": grade.model,
        "elapsed_ms": grade.elapsed_ms,
        "score_ms": grade.score_ms,
        "flags": list(grade.flags),
    }


def grade_items(grader: Grader, items: list[BatchItem]) -> Iterator[dict[str, Any]]:
    """Result lines: bad lines first, then each question's answers back to back."""
    for item in items:
        if item.task is None:
            yield result_line(item, Grade.ungraded(f"line {item.line}: {item.problem}"))
    for group in grouped(items):
        task = group[0].task
        assert task is not None
        grader.prepare(task)
        for item in group:
            yield result_line(item, grader.grade(task, item.answer))
