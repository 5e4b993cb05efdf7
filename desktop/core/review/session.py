"""A review session: today's due queue, one question at a time.

show question -> learner answers -> `grade` (model lane) -> `submit` (suggested rating and when
the question would come back for each rating) -> `confirm` or override the rating -> recorded ->
next question. `skip` moves on (a skipped question returns once the rest is done); `bury` hides
the question until the next study day. Every recorded review is committed before `confirm`
returns and the queue is always read back from the database, so a session that dies restarts
where it stood.

The object holds no lock: use it from one thread at a time (grading may run on the model thread
and the rest on the database thread, one after the other).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from desktop.core.bank.questions import Question
from desktop.core.grading.grades import Grade
from desktop.core.review.cards import CardSnapshot, CardState, Rating
from desktop.core.review.due_queue import (
    NO_FILTER,
    CardStore,
    QueueEntry,
    QueueFilter,
    due_questions,
)
from desktop.core.review.rating import RatingSuggestion, decide_rating, suggestion_for
from desktop.core.review.recording import record_answer
from desktop.core.review.review_store import ReviewStore, StaleCardError, StoredReview
from desktop.core.review.schedule_settings import ScheduleSettings
from desktop.core.review.scheduler import CardScheduler, new_card
from desktop.core.review.session_records import (
    Clock,
    PracticeSessionStore,
    QuestionLookup,
    SessionKind,
    utc_now,
)

# As Anki: with nothing else left, a learning step due this soon is shown now, not waited for.
LEARN_AHEAD = timedelta(minutes=20)
PAGE = 20


@dataclass(frozen=True)
class PracticeItem:
    """The question on screen, its card (None: never seen), and when it was shown."""

    question: Question
    state: CardState
    card: CardSnapshot | None
    shown_at: datetime


@dataclass(frozen=True)
class PendingAnswer:
    """An answer awaiting the learner's confirmation of the rating."""

    item: PracticeItem
    answer: str
    grade: Grade | None
    suggestion: RatingSuggestion
    next_due: dict[Rating, datetime]
    duration_ms: int
    grader: str = ""

    @classmethod
    def of(
        cls,
        item: PracticeItem,
        answer: str,
        grade: Grade | None,
        next_due: dict[Rating, datetime],
        duration_ms: int,
        grader: str = "",
    ) -> PendingAnswer:
        """`answer` to `item`, held with its grade (None: the learner rates it), the rating
        that grade suggests and when the question would come back after each rating."""
        return cls(
            item,
            answer,
            grade,
            suggestion_for(grade),
            next_due,
            duration_ms,
            grader if grade is not None else "",
        )


class ReviewSession:
    """Drives one review session; see the module docstring for the flow."""

    def __init__(
        self,
        *,
        cards: CardStore,
        reviews: ReviewStore,
        questions: QuestionLookup,
        sessions: PracticeSessionStore,
        settings: ScheduleSettings,
        filters: QueueFilter = NO_FILTER,
        clock: Clock = utc_now,
    ) -> None:
        self._cards, self._reviews, self._questions = cards, reviews, questions
        self._sessions, self._settings, self._filters = sessions, settings, filters
        self._clock = clock
        self._scheduler = CardScheduler(settings)
        self._skipped: list[int] = []
        self._queue: list[QueueEntry] = []
        self._current: PracticeItem | None = None
        self._pending: PendingAnswer | None = None
        self.session_id: int | None = None
        self.answered = 0

    def start(self) -> PracticeItem | None:
        """Opens the session record and shows the first question (None: nothing due)."""
        config = {"filters": {k: list(v) for k, v in vars(self._filters).items()}}
        self.session_id = self._sessions.start_session(
            SessionKind.REVIEW, config, counts=True, at=self._clock()
        )
        return self._advance()

    @property
    def current(self) -> PracticeItem | None:
        return self._current

    @property
    def pending(self) -> PendingAnswer | None:
        return self._pending

    @property
    def upcoming(self) -> list[QueueEntry]:
        """The next questions as last read (up to a page; the current question excluded)."""
        return list(self._queue)

    def submit(
        self,
        answer: str,
        grade: Grade | None,
        *,
        duration_ms: int | None = None,
        grader: str = "",
    ) -> PendingAnswer:
        """Holds the answer and its grade (None: the learner rates without grading); `grader`
        names what graded it, kept with the review."""
        item = self._require_current()
        now = self._clock()
        if duration_ms is None:
            duration_ms = max(0, int((now - item.shown_at).total_seconds() * 1000))
        self._pending = self._hold(item, answer, grade, duration_ms, grader, now)
        return self._pending

    def _hold(
        self,
        item: PracticeItem,
        answer: str,
        grade: Grade | None,
        duration_ms: int,
        grader: str,
        now: datetime,
    ) -> PendingAnswer:
        return PendingAnswer.of(item, answer, grade, self._next_due(item, now), duration_ms, grader)

    def next_due(self) -> dict[Rating, datetime]:
        """When the question on screen would come back after each rating, answered now (ready
        before the answer is, so a window can hold the answer without asking the session)."""
        return self._next_due(self._require_current(), self._clock())

    def _next_due(self, item: PracticeItem, now: datetime) -> dict[Rating, datetime]:
        return self._scheduler.preview(item.card or new_card(item.question.id, now), now)

    def confirm(
        self, rating: Rating | None = None, *, answer: PendingAnswer | None = None
    ) -> StoredReview:
        """Records the pending answer (`answer`, held by the caller, or the one `submit` or
        `undo` held here) with the suggested rating, or `rating` instead.

        When the question was reviewed elsewhere since it was shown (another window, a
        command), nothing is recorded and `StaleCardError` says so; the session then holds the
        card as that review left it, so confirming again records this answer after it."""
        pending = answer or self._pending
        current = self._current
        if pending is None:
            raise RuntimeError("submit an answer before confirming its rating")
        if current is None or pending.item.question.id != current.question.id:
            raise RuntimeError("the answer is not to the question being shown")
        decision = decide_rating(pending.suggestion, rating)
        try:
            stored = record_answer(
                cards=self._cards,
                reviews=self._reviews,
                scheduler=self._scheduler,
                question_id=current.question.id,
                before=current.card,
                decision=decision,
                grade=pending.grade,
                answer=pending.answer,
                at=self._clock(),
                duration_ms=pending.duration_ms,
                session_id=self.session_id,
                grader_settings={"grader": pending.grader} if pending.grader else None,
            )
        except StaleCardError as error:
            self._current = replace(current, card=self._cards.card(current.question.id))
            raise StaleCardError(
                f"{error.message} It now shows that review: rate again to record your answer "
                "after it."
            ) from error
        self._pending = None
        self.answered += 1
        self._advance()
        return stored

    def skip(self) -> PracticeItem | None:
        """Moves on; the skipped question comes back once everything else is done."""
        self._skipped.append(self._require_current().question.id)
        self._pending = None
        return self._advance()

    def bury(self) -> PracticeItem | None:
        """Hides the current question until the next study day begins."""
        now = self._clock()
        question_id = self._require_current().question.id
        self._cards.bury(question_id, self._settings.study_day(now).end, at=now)
        self._pending = None
        return self._advance()

    def undo(self) -> StoredReview | None:
        """Undoes this session's latest review and shows that question again, with its answer
        and grade held (`pending`) to be rated again; nothing is graded twice."""
        last = self._reviews.last_review()
        if last is None or self.session_id is None or last.review.session_id != self.session_id:
            return None
        undone = self._reviews.undo_last()
        if undone is None:
            return None
        self.answered = max(0, self.answered - 1)
        review = undone.review
        card = self._cards.card(review.question_id)
        state = CardState.NEW if card is None else card.state
        now = self._clock()
        item = self._item(QueueEntry(review.question_id, state, now, card))
        self._current = item
        grader = str(review.grader_settings.get("grader", ""))
        self._pending = self._hold(
            item, review.answer_text, review.grade(), review.duration_ms, grader, now
        )
        return undone

    def finish(self) -> None:
        if self.session_id is not None:
            self._sessions.finish_session(self.session_id, self._clock(), counts=True)

    def next_learning_due(self) -> datetime | None:
        """When a (re)learning step comes due next; for "come back in N minutes"."""
        return self._cards.next_learning_due(self._clock(), self._filters)

    def _require_current(self) -> PracticeItem:
        if self._current is None:
            raise RuntimeError("no question is being shown")
        return self._current

    def _item(self, entry: QueueEntry) -> PracticeItem:
        question = self._questions.get(entry.question_id)
        return PracticeItem(question, entry.state, entry.card, self._clock())

    def _read_queue(self, exclude: frozenset[int]) -> list[QueueEntry]:
        now = self._clock()
        queue = due_questions(
            self._cards,
            self._reviews,
            self._settings,
            now,
            filters=self._filters,
            limit=PAGE,
            exclude=exclude,
        )
        if queue:
            return queue
        ahead = self._cards.next_learning_due(now, self._filters)
        if ahead is None or ahead - now > LEARN_AHEAD:
            return []
        later = due_questions(
            self._cards,
            self._reviews,
            self._settings,
            ahead,
            filters=self._filters,
            limit=PAGE,
            exclude=exclude,
        )
        return [e for e in later if e.state in (CardState.LEARNING, CardState.RELEARNING)]

    def _advance(self) -> PracticeItem | None:
        self._queue = self._read_queue(frozenset(self._skipped))
        if not self._queue and self._skipped:
            self._skipped.clear()
            self._queue = self._read_queue(frozenset())
        self._current = self._item(self._queue.pop(0)) if self._queue else None
        return self._current
