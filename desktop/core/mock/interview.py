"""A mock interview: N questions (default 5) under a per-question time limit, summary at the end.

The caller owns the clock: it passes `now` to every call, shows `remaining(now)` as a countdown
and calls `tick(now, draft)`, which submits the draft once time is up. Nothing of the reference
is exposed before `summary()`. Grading may happen after each answer or all at the end
(`ungraded()`, `grading_task(i)`, `set_grade(i, grade)`). `finish` records one review per
answer; when the interview counts toward the schedule the ratings move the cards, otherwise the
reviews are kept with `counted` false and the cards stay as they were.
"""

from __future__ import annotations

import random
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from datetime import datetime, timedelta
from typing import Any

from desktop.core.errors import NotFoundError, VivaError
from desktop.core.grading.grades import Grade, Grader, GradingTask
from desktop.core.mock.answers import MockAnswer, MockSummary
from desktop.core.mock.selection import MockCandidateSource, choose_questions
from desktop.core.mock.summary import summarise
from desktop.core.review.cards import Rating
from desktop.core.review.due_queue import CardStore, QueueFilter
from desktop.core.review.rating import RatingRequired, decide_rating, suggestion_for
from desktop.core.review.recording import record_answer
from desktop.core.review.review_store import ReviewStore
from desktop.core.review.schedule_settings import ScheduleSettings
from desktop.core.review.scheduler import CardScheduler
from desktop.core.review.session_records import PracticeSessionStore, QuestionLookup, SessionKind
from desktop.core.review.study_day import require_aware


@dataclass(frozen=True)
class MockConfig:
    question_count: int = 5
    topics: tuple[str, ...] = ()
    kinds: tuple[str, ...] = ()
    decks: tuple[str, ...] = ()
    time_limit_s: int = 180
    counts_toward_schedule: bool = True
    seed: int | None = None

    def __post_init__(self) -> None:
        if self.question_count < 1 or self.time_limit_s < 1:
            raise VivaError("A mock interview needs at least one question and one second each.")

    @property
    def filters(self) -> QueueFilter:
        return QueueFilter(decks=self.decks, topics=self.topics, kinds=self.kinds)


@dataclass
class MockStores:
    """Where a mock interview reads and writes."""

    cards: CardStore
    reviews: ReviewStore
    questions: QuestionLookup
    sessions: PracticeSessionStore
    candidates: MockCandidateSource
    settings: ScheduleSettings = field(default_factory=ScheduleSettings)


class MockInterview:
    """One interview; create it with `start` or `resume`."""

    def __init__(self, stores: MockStores, session_id: int, config: dict[str, Any]) -> None:
        self._stores = stores
        self.session_id = session_id
        self._config = config
        self.question_ids: tuple[int, ...] = tuple(config["question_ids"])
        self.time_limit = timedelta(seconds=int(config["time_limit_s"]))
        self.counts_toward_schedule = bool(config["counts_toward_schedule"])
        self.answers = [MockAnswer.from_json(a) for a in config.get("answers", [])]
        self._started_at: datetime | None = None
        self._scheduler = CardScheduler(stores.settings)

    @classmethod
    def start(cls, config: MockConfig, stores: MockStores, now: datetime) -> MockInterview:
        now = require_aware(now)
        seed = config.seed if config.seed is not None else random.SystemRandom().randrange(2**31)
        candidates = stores.candidates.mock_candidates(config.filters)
        chosen = choose_questions(
            candidates,
            config.question_count,
            scheduler=CardScheduler(stores.settings),
            now=now,
            seed=seed,
        )
        if not chosen:
            raise NotFoundError("No active question matches the chosen topics and kinds.")
        saved = {**asdict(config), "seed": seed, "question_ids": chosen, "answers": []}
        session_id = stores.sessions.start_session(
            SessionKind.MOCK, saved, counts=config.counts_toward_schedule, at=now
        )
        interview = cls(stores, session_id, saved)
        interview.begin_question(now)
        return interview

    @classmethod
    def resume(cls, session_id: int, stores: MockStores, now: datetime) -> MockInterview:
        """Picks an unfinished interview up again; the current question's clock restarts."""
        info = stores.sessions.session(session_id)
        if info is None or info.kind is not SessionKind.MOCK:
            raise NotFoundError(f"There is no mock interview {session_id}.")
        interview = cls(stores, session_id, dict(info.config))
        if not interview.is_over:
            interview.begin_question(now)
        return interview

    @property
    def index(self) -> int:
        return len(self.answers)

    @property
    def is_over(self) -> bool:
        return self.index >= len(self.question_ids)

    def current_prompt(self) -> str | None:
        """The question being asked (its prompt only; None once every question is answered)."""
        if self.is_over:
            return None
        return self._stores.questions.get(self.question_ids[self.index]).prompt

    def begin_question(self, now: datetime) -> None:
        """Starts (or restarts) the current question's clock; call when it is shown."""
        self._started_at = require_aware(now)

    def remaining(self, now: datetime) -> timedelta:
        if self._started_at is None or self.is_over:
            return timedelta(0)
        return max(timedelta(0), self._started_at + self.time_limit - require_aware(now))

    def tick(self, now: datetime, draft: str) -> MockAnswer | None:
        """Submits `draft` when the time is up; otherwise does nothing."""
        if self.is_over or self.remaining(now) > timedelta(0):
            return None
        return self.submit(draft, now)

    def submit(self, text: str, now: datetime) -> MockAnswer:
        """Keeps the answer (saved at once) and starts the next question's clock."""
        if self.is_over or self._started_at is None:
            raise RuntimeError("every question has been answered")
        now = require_aware(now)
        used = min(now - self._started_at, self.time_limit)
        answer = MockAnswer(
            question_id=self.question_ids[self.index],
            text=text,
            started_at=self._started_at,
            submitted_at=now,
            time_used_ms=int(used.total_seconds() * 1000),
            timed_out=now - self._started_at >= self.time_limit,
        )
        self.answers.append(answer)
        self._save()
        self._started_at = None if self.is_over else now
        return answer

    def ungraded(self) -> list[int]:
        """Indexes of answers not graded yet."""
        return [i for i, answer in enumerate(self.answers) if answer.grade is None]

    def grading_task(self, index: int) -> GradingTask:
        return GradingTask.from_question(
            self._stores.questions.get(self.answers[index].question_id)
        )

    def set_grade(self, index: int, grade: Grade) -> None:
        self.answers[index] = self.answers[index].graded_with(grade)
        self._save()

    def grade_pending(self, grader: Grader) -> None:
        """Grades every answer still waiting (the model thread's job)."""
        for index in self.ungraded():
            self.set_grade(index, grader.grade(self.grading_task(index), self.answers[index].text))

    def summary(self, ratings: Mapping[int, Rating] | None = None) -> MockSummary:
        """Per question: the reference, score, time used, missed points and rating."""
        info = self._stores.sessions.session(self.session_id)
        return summarise(
            session_id=self.session_id,
            question_ids=self.question_ids,
            answers=self.answers,
            recorded=[r.review for r in self._stores.sessions.reviews_in_session(self.session_id)],
            questions=self._stores.questions,
            chosen=ratings or {},
            counts_toward_schedule=(
                info.counts_toward_schedule if info is not None else self.counts_toward_schedule
            ),
            finished=info is not None and info.finished_at is not None,
        )

    def finish(
        self,
        now: datetime,
        *,
        ratings: Mapping[int, Rating] | None = None,
        counts_toward_schedule: bool | None = None,
    ) -> MockSummary:
        """Records a review per answer (ratings: the learner's choice per question id).

        Unanswered questions are left out. Raises `RatingRequired` (before recording anything)
        when an answer that could not be graded has no rating of the learner's.
        """
        now = require_aware(now)
        counts = self.counts_toward_schedule
        if counts_toward_schedule is not None:
            counts = counts_toward_schedule
        chosen = dict(ratings or {})
        unrated = [
            a.question_id for a in self.answers if _ungraded(a) and a.question_id not in chosen
        ]
        if unrated:
            raise RatingRequired(
                "Some answers could not be graded; rate them yourself first (question ids: "
                + ", ".join(str(question_id) for question_id in unrated)
                + ")."
            )
        recorded = self._stores.sessions.reviews_in_session(self.session_id)
        done = {r.review.question_id for r in recorded}  # an earlier finish cut short by a crash
        plans = [
            (answer, decide_rating(suggestion_for(answer.grade), chosen.get(answer.question_id)))
            for answer in self.answers
            if answer.question_id not in done
        ]
        for answer, decision in plans:
            record_answer(
                cards=self._stores.cards,
                reviews=self._stores.reviews,
                scheduler=self._scheduler,
                question_id=answer.question_id,
                before=self._stores.cards.card(answer.question_id),
                decision=decision,
                grade=answer.grade,
                answer=answer.text,
                at=now,
                duration_ms=answer.time_used_ms,
                session_id=self.session_id,
                counts=counts,
            )
        self.counts_toward_schedule = counts
        self._stores.sessions.finish_session(self.session_id, now, counts=counts)
        return self.summary()

    def _save(self) -> None:
        self._config["answers"] = [answer.as_json() for answer in self.answers]
        self._stores.sessions.save_config(self.session_id, self._config)


def _ungraded(answer: MockAnswer) -> bool:
    return answer.grade is None or not answer.grade.is_graded
