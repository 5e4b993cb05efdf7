"""Fixtures for the UI tests: real storage in a temporary folder, the seed bank imported, the
task runner, and a scripted grader that streams feedback and honours cancel like the real one."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from desktop import app as composition
from desktop.core.grading.grades import GradingTask
from desktop.core.mock.interview import MockStores
from desktop.core.review.due_queue import QueueFilter
from desktop.core.review.schedule_settings import ScheduleSettings
from desktop.core.review.session import ReviewSession
from desktop.services.practice import Practice
from desktop.services.viva import Viva
from desktop.storage.database import Database
from desktop.storage.history import HistoryRepository
from desktop.ui.services import AppServices
from desktop.ui.tasks import TaskRunner
from tests.fakes import ScriptedGrader

UI_TESTS = Path(__file__).resolve().parent
# The offscreen platform cannot resize windows to their size hints and says so each time a
# layout changes a top-level widget's minimum size; harmless, and not about our code.
OFFSCREEN_SIZE_HINTS = "This plugin does not support propagateSizeHints"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if UI_TESTS in Path(item.path).resolve().parents:
            item.add_marker(pytest.mark.qt_log_ignore(OFFSCREEN_SIZE_HINTS))
            item.add_marker(pytest.mark.gui)


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
def runner() -> Iterator[TaskRunner]:
    task_runner = TaskRunner()
    yield task_runner
    task_runner.shutdown()


@pytest.fixture
def new_review_session(
    viva: Viva, seeded_database: Database
) -> Callable[[QueueFilter], ReviewSession]:
    return lambda filters: viva.practice.review_session(
        filters=filters, settings=ScheduleSettings(fuzz=False)
    )


@pytest.fixture
def mock_stores(viva: Viva, seeded_database: Database) -> Callable[[], MockStores]:
    return lambda: viva.practice.mock_stores(ScheduleSettings(fuzz=False))


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
        grade = grader.grade(GradingTask.from_question(item.question), "an answer")
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


@pytest.fixture
def services(viva: Viva, seeded_database: Database) -> AppServices:
    return composition.build_services(viva)
