"""SQL fragments of the due queue: the card columns it reads and the WHERE clause of a filter.

Every value goes in as a bound parameter; only placeholder names are put into the SQL text.
The fragments assume the aliases `q` (questions) and `c` (cards).
"""

from __future__ import annotations

from typing import Any

from desktop.core.review.due_queue import QueueFilter

CARD_COLUMNS = (
    "c.question_id, c.state, c.step, c.stability, c.difficulty, c.due, c.last_review, "
    "c.reps, c.lapses, c.buried_until"
)


def _escape_like(value: str) -> str:
    return value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _placeholders(prefix: str, values: tuple[Any, ...], params: dict[str, Any]) -> str:
    names = []
    for index, value in enumerate(values):
        name = f"{prefix}{index}"
        params[name] = value
        names.append(f":{name}")
    return ", ".join(names)


def filter_clause(filters: QueueFilter, exclude: frozenset[int]) -> tuple[str, dict[str, Any]]:
    """`AND ...` conditions on `q` for the filter and the excluded ids, and their parameters."""
    params: dict[str, Any] = {}
    parts: list[str] = []
    if filters.kinds:
        parts.append(f"q.kind IN ({_placeholders('kind', filters.kinds, params)})")
    if filters.decks:
        names = _placeholders("deck", filters.decks, params)
        parts.append(f"q.deck_id IN (SELECT id FROM decks WHERE name IN ({names}))")
    if filters.topics:
        alternatives = []
        for index, topic in enumerate(filters.topics):
            params[f"topic{index}"] = topic.strip()
            params[f"topic_under{index}"] = _escape_like(topic.strip()) + " > %"
            alternatives.append(
                f"lower(path) = lower(:topic{index}) OR path LIKE :topic_under{index} ESCAPE '\\'"
            )
        parts.append(f"q.topic_id IN (SELECT id FROM topics WHERE {' OR '.join(alternatives)})")
    if filters.tags:
        # Tags are a JSON list of strings, matched ignoring ASCII case as the bank does. A quoted
        # tag can only match a whole element, and a substring test costs far less per row than
        # expanding the list with json_each.
        alternatives = []
        for index, tag in enumerate(filters.tags):
            params[f"tag{index}"] = tag
            alternatives.append(f"instr(lower(q.tags), lower(json_quote(:tag{index}))) > 0")
        parts.append(f"({' OR '.join(alternatives)})")
    if exclude:
        parts.append(f"q.id NOT IN ({_placeholders('skip', tuple(sorted(exclude)), params)})")
    return "".join(f" AND {part}" for part in parts), params
