"""What the home screen shows, read in one go on the database lane: today's queue counted per
deck and topic (under the daily limits, shared by every deck), what each deck alone would give
today, and the streak."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime

from desktop.core.bank.store import QuestionBankStore
from desktop.core.reports.report import ReportRequest
from desktop.core.reports.service import ProgressReports
from desktop.core.review.cards import CardState
from desktop.core.review.due_queue import (
    CardStore,
    DailyCountSource,
    QueueFilter,
    due_questions,
)
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
class DeckCounts:
    """One deck today: `due` and `new` are its part of the whole day's queue (every deck
    practised together); `new_alone` is what practising this deck alone would bring."""

    deck: str
    due: int
    new: int
    new_alone: int
    questions: int
    topics: tuple[TopicCounts, ...]


@dataclass(frozen=True)
class HomeSummary:
    due: int
    new: int
    questions: int
    streak: int
    reviews_today: int
    decks: tuple[DeckCounts, ...]
    new_per_day: int
    reviews_per_day: int
    # The study day the counts are for: before the day boundary (4 am by default) it is still
    # the calendar's yesterday.
    study_date: date

    @property
    def topics(self) -> tuple[TopicCounts, ...]:
        return tuple(topic for deck in self.decks for topic in deck.topics)


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
    sizes = Counter(deck for deck, _topic in places.values())
    decks = []
    for name in dict.fromkeys(deck for deck, _topic in order):
        topics = tuple(
            TopicCounts(deck, topic, due[(deck, topic)], new[(deck, topic)])
            for deck, topic in order
            if deck == name and (due[(deck, topic)] or new[(deck, topic)])
        )
        alone = due_questions(
            sources.cards,
            sources.reviews,
            settings,
            now,
            filters=QueueFilter(decks=(name,)),
            limit=QUEUE_LIMIT,
        )
        decks.append(
            DeckCounts(
                deck=name,
                due=sum(t.due for t in topics),
                new=sum(t.new for t in topics),
                new_alone=sum(1 for entry in alone if entry.state is CardState.NEW),
                questions=sizes[name],
                topics=topics,
            )
        )
    today = settings.study_day(now).local_date
    report = sources.reports.build_report(ReportRequest(start=today, end=today))
    return HomeSummary(
        due=sum(due.values()),
        new=sum(new.values()),
        questions=len(places),
        streak=report.activity.current_streak,
        reviews_today=report.activity.reviews,
        decks=tuple(decks),
        new_per_day=settings.new_per_day,
        reviews_per_day=settings.reviews_per_day,
        study_date=today,
    )


def greeting(today: date) -> str:
    return today.strftime("%A, %d %B")
