"""The status bar says what runs: work that starts as other work ends (the reliability check
resuming after a grade) stays announced."""

from __future__ import annotations

import threading
from pathlib import Path

from pytestqt.qtbot import QtBot

from desktop.ui.main_window import MainWindow
from desktop.ui.tasks import Lane, TaskContext, TaskRunner
from desktop.ui.ui_state import UiState


def test_a_check_that_resumes_when_a_grade_ends_stays_in_the_status_bar(
    qtbot: QtBot, tmp_path: Path
) -> None:
    runner = TaskRunner()
    release = threading.Event()

    def check(context: TaskContext) -> None:
        while not release.is_set() and not context.cancel.is_set():
            release.wait(0.01)

    def resume_when_idle(busy: bool) -> None:  # as the model controller does
        if not busy and not release.is_set():
            runner.submit(Lane.MODEL, "checking the model's reliability", check, background=True)

    runner.busy_changed.connect(resume_when_idle)  # connected before the window, as in the app
    window = MainWindow([], UiState(tmp_path / "state.ini"), runner)
    qtbot.addWidget(window)
    window.show()
    with qtbot.waitSignal(runner.busy_changed, check_params_cb=lambda busy: not busy):
        runner.submit(Lane.MODEL, "grading the answer", lambda _context: None)
    qtbot.waitUntil(lambda: window.busy_label.text() == "Checking the model's reliability…")
    assert window.busy_label.isVisible()
    release.set()
    qtbot.waitUntil(lambda: not window.busy_label.isVisible())
    runner.shutdown()
