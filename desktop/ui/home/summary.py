"""What the home screen shows, read in one go on the database lane: today's queue counted per
deck and topic (under the daily limits), and the streak."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime

from desktop.core.bank.store import QuestionBankStore
from desktop.core.reports.report import ReportRequest
from desktop.core.reports.service import ProgressReports
from desktop.core.review.cards import CardState
from desktop.core.review.due_queue import CardStore, DailyCountSource, due_questions
from desktop.core.review.schedule_settings import ScheduleSettings

QUEUE_LIMIT = 100_000


@dataclass(frozen=True)
class HomeSources:
    bank: QuestionBankStore
    cards: CardStore
    reviews: DailyCountSource
    reports: ProgressReports
    settings: Callable[[], ScheduleSettings]


@dataclass(frozen=True)
class TopicCounts:
    deck: str
    topic: str
    due: int
    new: int


@dataclass(frozen=True)
class HomeSummary:
    due: int
    new: int
    questions: int
    streak: int
    reviews_today: int
    topics: tuple[TopicCounts, ...]


def load_home_summary(sources: HomeSources, now: datetime) -> HomeSummary:
    settings = sources.settings()
    queue = due_questions(sources.cards, sources.reviews, settings, now, limit=QUEUE_LIMIT)
    places = {question.id: (question.deck, question.topic) for question in sources.bank.questions()}
    due: Counter[tuple[str, str]] = Counter()
    new: Counter[tuple[str, str]] = Counter()
    for entry in queue:
        place = places.get(entry.question_id, ("", ""))
        (new if entry.state is CardState.NEW else due)[place] += 1
    order = list(dict.fromkeys(places.values()))
    topics = tuple(
        TopicCounts(deck, topic, due[(deck, topic)], new[(deck, topic)])
        for deck, topic in order
        if due[(deck, topic)] or new[(deck, topic)]
    )
    today = settings.study_day(now).local_date
    report = sources.reports.build_report(ReportRequest(start=today, end=today))
    return HomeSummary(
        due=sum(due.values()),
        new=sum(new.values()),
        questions=len(places),
        streak=report.activity.current_streak,
        reviews_today=report.activity.reviews,
        topics=topics,
    )


def greeting(today: date) -> str:
    return today.strftime("%A, %d %B")
