"""Practice wired to the database: the repositories a review session and a mock interview use,
the learner's scheduling settings, and undo.

The one wiring of practice, part of the composition root (`desktop.services.viva.Viva`), which
builds a `Practice` once per database; the UI calls it from its database lane. Everything
returned is plain `core` data.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from desktop.core.mock.interview import MockConfig, MockInterview, MockStores
from desktop.core.review.due_queue import NO_FILTER, QueueEntry, QueueFilter, due_questions
from desktop.core.review.review_store import StoredReview
from desktop.core.review.schedule_optimiser import optimised_settings
from desktop.core.review.schedule_settings import (
    ScheduleSettings,
    load_schedule_settings,
    save_schedule_settings,
)
from desktop.core.review.scheduler import CardScheduler
from desktop.core.review.session import ReviewSession
from desktop.core.review.session_records import Clock, utc_now
from desktop.storage.cards import CardRepository
from desktop.storage.database import Database
from desktop.storage.mock_candidates import MockCandidateRepository
from desktop.storage.practice_sessions import PracticeSessionRepository
from desktop.storage.question_bank import QuestionBank
from desktop.storage.reviews import ReviewRepository
from desktop.storage.settings_store import DatabaseSettingsStore


@dataclass
class Practice:
    """The practice side of the app on one database."""

    cards: CardRepository
    reviews: ReviewRepository
    sessions: PracticeSessionRepository
    questions: QuestionBank
    candidates: MockCandidateRepository
    settings_store: DatabaseSettingsStore

    @classmethod
    def open(cls, database: Database) -> Practice:
        return cls(
            cards=CardRepository(database),
            reviews=ReviewRepository(database),
            sessions=PracticeSessionRepository(database),
            questions=QuestionBank(database),
            candidates=MockCandidateRepository(database),
            settings_store=DatabaseSettingsStore(database),
        )

    def schedule_settings(self) -> ScheduleSettings:
        return load_schedule_settings(self.settings_store)

    def save_schedule_settings(self, settings: ScheduleSettings) -> None:
        save_schedule_settings(self.settings_store, settings)

    def scheduler(self) -> CardScheduler:
        return CardScheduler(self.schedule_settings())

    def due(
        self, at: datetime, *, filters: QueueFilter = NO_FILTER, limit: int = 50
    ) -> list[QueueEntry]:
        return due_questions(
            self.cards, self.reviews, self.schedule_settings(), at, filters=filters, limit=limit
        )

    def review_session(
        self,
        *,
        filters: QueueFilter = NO_FILTER,
        clock: Clock = utc_now,
        settings: ScheduleSettings | None = None,
    ) -> ReviewSession:
        """A new review session (call `start()` on it); it resumes today's queue as stored.
        `settings` replaces the learner's saved ones (a demo, a test)."""
        return ReviewSession(
            cards=self.cards,
            reviews=self.reviews,
            questions=self.questions,
            sessions=self.sessions,
            settings=settings or self.schedule_settings(),
            filters=filters,
            clock=clock,
        )

    def mock_stores(self, settings: ScheduleSettings | None = None) -> MockStores:
        return MockStores(
            cards=self.cards,
            reviews=self.reviews,
            questions=self.questions,
            sessions=self.sessions,
            candidates=self.candidates,
            settings=settings or self.schedule_settings(),
        )

    def start_mock(self, config: MockConfig, now: datetime) -> MockInterview:
        return MockInterview.start(config, self.mock_stores(), now)

    def undo_last_review(self) -> StoredReview | None:
        return self.reviews.undo_last()

    def optimise_schedule(self) -> ScheduleSettings:
        """Fits FSRS to the learner's reviews and saves the result (raises with the reason
        when the optional optimiser is missing or there are too few reviews)."""
        settings = optimised_settings(self.schedule_settings(), self.reviews.rating_history())
        self.save_schedule_settings(settings)
        return settings
