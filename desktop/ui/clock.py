"""Time as the screens see it: a stopwatch per practice question and a countdown per mock
interview question. The clock they read is injected, so a test can move time forward instead of
waiting for it; a QTimer only decides how often the display is refreshed."""

from __future__ import annotations

import time
from datetime import UTC, datetime
from typing import Protocol

from PySide6.QtCore import QObject, QTimer, Signal

TICK_MS = 200


class Clock(Protocol):
    """Seconds for measuring intervals, and the UTC time for what is recorded."""

    def monotonic(self) -> float: ...

    def now(self) -> datetime: ...


class SystemClock:
    def monotonic(self) -> float:
        return time.monotonic()

    def now(self) -> datetime:
        return datetime.now(UTC)


def format_seconds(seconds: float) -> str:
    whole = max(0, int(seconds))
    return f"{whole // 60}:{whole % 60:02d}"


class Stopwatch(QObject):
    """Time spent on the question on screen: it runs while the learner answers and pauses while
    they are elsewhere (another screen, the grade, the result), so a stored duration is the
    time actually spent answering."""

    ticked = Signal(float)

    def __init__(self, clock: Clock, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._clock = clock
        self._spent = 0.0  # before the current run
        self._since: float | None = None  # when the current run began; None: paused
        self._timer = QTimer(self)
        self._timer.setInterval(TICK_MS)
        self._timer.timeout.connect(self._on_timeout)

    def start(self, spent: float = 0.0) -> None:
        """From zero for a new question, or from `spent` seconds (an answer brought back)."""
        self._spent = spent
        self._since = None
        self.resume()

    def resume(self) -> None:
        if self._since is None:
            self._since = self._clock.monotonic()
            self._timer.start()
        self.ticked.emit(self.elapsed())

    def stop(self) -> float:
        """Pauses; returns the time spent so far."""
        if self._since is not None:
            self._spent += max(0.0, self._clock.monotonic() - self._since)
            self._since = None
        self._timer.stop()
        self.ticked.emit(self.elapsed())  # the display shows the time that counts
        return self.elapsed()

    def elapsed(self) -> float:
        running = 0.0 if self._since is None else self._clock.monotonic() - self._since
        return self._spent + max(0.0, running)

    def _on_timeout(self) -> None:
        self.ticked.emit(self.elapsed())


class Countdown(QObject):
    """Time left for a mock interview question; `expired` fires once, at zero."""

    ticked = Signal(float)
    expired = Signal()

    def __init__(self, clock: Clock, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._clock = clock
        self._started = 0.0
        self._limit = 0.0
        self._running = False
        self._timer = QTimer(self)
        self._timer.setInterval(TICK_MS)
        self._timer.timeout.connect(self._on_timeout)

    def start(self, seconds: float) -> None:
        self._started = self._clock.monotonic()
        self._limit = seconds
        self._running = True
        self._timer.start()
        self.ticked.emit(seconds)

    def stop(self) -> float:
        """Stops the countdown; returns the seconds used (at most the limit)."""
        self._timer.stop()
        self._running = False
        return self.used()

    def used(self) -> float:
        return min(self._limit, max(0.0, self._clock.monotonic() - self._started))

    def remaining(self) -> float:
        if not self._running:
            return 0.0
        return max(0.0, self._limit - (self._clock.monotonic() - self._started))

    @property
    def running(self) -> bool:
        return self._running

    def _on_timeout(self) -> None:
        left = self.remaining()
        self.ticked.emit(left)
        if left <= 0:
            self._timer.stop()
            self._running = False
            self.expired.emit()
