"""Fixtures for the UI tests: real storage in a temporary folder, the seed bank imported, the
task runner, and a scripted grader that streams feedback and honours cancel like the real one."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from desktop.core.errors import Cancelled
from desktop.core.grades import (
    FeedbackText,
    FirstLook,
    Grade,
    GradeStatus,
    GradingTask,
    KeyPointVerdict,
    PointJudged,
    ProgressCallback,
    Verdict,
)
from desktop.core.mock_interview import MockStores
from desktop.core.practice import ReviewSession
from desktop.core.schedule_settings import ScheduleSettings
from desktop.services.bank import import_files
from desktop.services.practice import Practice
from desktop.storage.database import Database
from desktop.storage.history import HistoryRepository
from desktop.ui.tasks import TaskRunner

UI_TESTS = Path(__file__).resolve().parent
# The offscreen platform cannot resize windows to their size hints and says so each time a
# layout changes a top-level widget's minimum size; harmless, and not about our code.
OFFSCREEN_SIZE_HINTS = "This plugin does not support propagateSizeHints"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if UI_TESTS in Path(item.path).resolve().parents:
            item.add_marker(pytest.mark.qt_log_ignore(OFFSCREEN_SIZE_HINTS))
            item.add_marker(pytest.mark.gui)


class ScriptedGrader:
    """Grades every answer the same scripted way: the first key point covered, the second
    partial, the rest missing; feedback streamed in chunks. With `hold` set, each grade waits
    for `release` (or a cancel) so a test can act while the grade is in flight."""

    identity = "scripted grader"

    def __init__(self, *, score: float = 0.7, hold: bool = False) -> None:
        self.score = score
        self.hold = hold
        self.release = threading.Event()
        self.grading = threading.Event()
        self.answers: list[str] = []
        self.prepared: list[GradingTask] = []
        self.cancelled = 0

    def prepare(self, task: GradingTask, cancel: threading.Event | None = None) -> None:
        self.prepared.append(task)

    def first_look(self, task: GradingTask, answer: str) -> FirstLook | None:
        return FirstLook(0.5, tuple(KeyPointVerdict(p, Verdict.PARTIAL) for p in task.key_points))

    def grade(
        self,
        task: GradingTask,
        answer: str,
        *,
        cancel: threading.Event | None = None,
        on_progress: ProgressCallback | None = None,
    ) -> Grade:
        self.answers.append(answer)
        first = self.first_look(task, answer)
        if on_progress is not None and first is not None:
            on_progress(first)
        verdicts = [Verdict.COVERED, Verdict.PARTIAL]
        points = tuple(
            KeyPointVerdict(text, verdicts[i] if i < len(verdicts) else Verdict.MISSING)
            for i, text in enumerate(task.key_points)
        )
        for index, point in enumerate(points):
            if on_progress is not None:
                on_progress(PointJudged(index, point, self.score))
        self.grading.set()
        for chunk in ("Good start", ", but ", "you missed a point."):
            if on_progress is not None:
                on_progress(FeedbackText(chunk))
        while self.hold and not self.release.is_set():
            if cancel is not None and cancel.wait(0.005):
                self.cancelled += 1
                raise Cancelled
        return Grade(
            status=GradeStatus.GRADED,
            score=self.score,
            key_points=points,
            feedback="Good start, but you missed a point.",
            model=self.identity,
            elapsed_ms=12,
        )

    def close(self) -> None:
        pass


class FakeClock:
    """A clock a test moves by hand: the countdown and the recorded times follow it."""

    def __init__(self) -> None:
        self._seconds = 1000.0
        self._start = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)

    def monotonic(self) -> float:
        return self._seconds

    def now(self) -> datetime:
        return self._start + timedelta(seconds=self._seconds - 1000.0)

    def advance(self, seconds: float) -> None:
        self._seconds += seconds


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def seeded_database(database: Database, seed_notes: Path) -> Database:
    import_files(database, [seed_notes])
    return database


@pytest.fixture
def runner() -> Iterator[TaskRunner]:
    task_runner = TaskRunner()
    yield task_runner
    task_runner.shutdown()


@pytest.fixture
def new_review_session(seeded_database: Database) -> Callable[[], ReviewSession]:
    practice = Practice.open(seeded_database)
    return lambda: practice.review_session(settings=ScheduleSettings(fuzz=False))


@pytest.fixture
def mock_stores(seeded_database: Database) -> Callable[[], MockStores]:
    practice = Practice.open(seeded_database)
    return lambda: practice.mock_stores(ScheduleSettings(fuzz=False))


def record_reviews(database: Database, answers: int, *, score: float = 0.6) -> int:
    """Answers `answers` questions yesterday through a review session; returns how many."""
    moment = [datetime.now(UTC) - timedelta(days=1)]
    session = Practice.open(database).review_session(
        settings=ScheduleSettings(fuzz=False), clock=lambda: moment[0]
    )
    item = session.start()
    grader = ScriptedGrader(score=score)
    done = 0
    while item is not None and done < answers:
        grade = grader.grade(session.grading_task(), "an answer")
        session.submit("an answer", grade, duration_ms=60_000)
        moment[0] += timedelta(minutes=2)
        session.confirm(None)
        done += 1
        item = session.current
    session.finish()
    return done


@pytest.fixture
def history(seeded_database: Database) -> HistoryRepository:
    return HistoryRepository(seeded_database)
