"""What the bank browser reads in one go, on the database lane: the questions that match the
query, each with its card and latest score, and the choices for the filter menus."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from desktop.core.bank.store import ALL_STATUSES, QuestionBankStore, QuestionFilter
from desktop.core.reports.history import HistoryQuery, HistorySource
from desktop.ui.bank.table_model import BankRow


@dataclass(frozen=True)
class BankSnapshot:
    at: datetime
    rows: list[BankRow]
    decks: list[str]
    topics: list[str]
    tags: list[str]


def load_snapshot(
    bank: QuestionBankStore, history: HistorySource, query: QuestionFilter, at: datetime
) -> BankSnapshot:
    questions = bank.questions(query)
    # An empty review interval: only the questions with their cards and last scores are read.
    records = history.load_history(HistoryQuery(since=at, until=at)).questions
    by_id = {record.id: record for record in records}
    rows = [
        BankRow(
            question,
            by_id[question.id].card if question.id in by_id else None,
            by_id[question.id].last_score if question.id in by_id else None,
        )
        for question in questions
    ]
    tags = sorted(
        {
            tag
            for question in bank.questions(QuestionFilter(statuses=ALL_STATUSES))
            for tag in question.tags
        },
        key=str.casefold,
    )
    topics = list(dict.fromkeys(topic.path for topic in bank.topics()))
    return BankSnapshot(
        at=at,
        rows=rows,
        decks=[deck.name for deck in bank.decks()],
        topics=topics,
        tags=tags,
    )
