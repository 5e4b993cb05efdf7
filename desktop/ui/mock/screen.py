"""The mock interview screen: setup, the timed questions, the summary; keys to drive them."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QVBoxLayout

from desktop.core.bank.store import QuestionBankStore
from desktop.core.grading.grades import Grader
from desktop.core.mock.interview import MockStores
from desktop.ui import shortcuts
from desktop.ui.clock import Clock, SystemClock
from desktop.ui.mock.controller import MockController
from desktop.ui.mock.view import MockView
from desktop.ui.screen import Screen
from desktop.ui.shortcuts import bind_shortcut
from desktop.ui.tasks import Lane, TaskRunner


class MockScreen(Screen):
    name = "mock"
    title = "Mock interview"
    icon = "mock"

    def __init__(
        self,
        bank: QuestionBankStore,
        stores: Callable[[], MockStores],
        current_grader: Callable[[], Grader | None],
        runner: TaskRunner,
        *,
        clock: Clock | None = None,
    ) -> None:
        super().__init__()
        self._bank = bank
        self._runner = runner
        self._unfinished: list[int] = []
        self.view = MockView()
        self.controller = MockController(
            self.view, stores, current_grader, runner, clock or SystemClock()
        )
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.view)
        setup, question, summary = (
            self.view.setup_page,
            self.view.question_page,
            self.view.summary_page,
        )
        setup.start_button.clicked.connect(lambda: self.controller.start(setup.config()))
        setup.resume_button.clicked.connect(self._resume)
        question.answer_pane.submit_button.clicked.connect(lambda: self.controller.submit())
        summary.finish_button.clicked.connect(self.controller.finish)
        summary.new_button.clicked.connect(self.controller.reset)
        self.controller.recorded.connect(lambda: self.status_changed.emit("Interview recorded."))
        self.controller.status_changed.connect(self.status_changed)
        bind_shortcut(self, shortcuts.SUBMIT.every_key, lambda: self.controller.submit())
        bind_shortcut(self, shortcuts.MONOSPACE.keys, question.answer_pane.editor.toggle_monospace)

    def on_shown(self) -> None:
        if self.controller.interview.is_open:
            return
        self._runner.submit(
            Lane.DATABASE,
            "reading the topics",
            lambda _c: list(dict.fromkeys(topic.path for topic in self._bank.topics())),
            on_success=self.view.setup_page.set_topics,
        )
        self._runner.submit(
            Lane.DATABASE,
            "looking for an unfinished interview",
            lambda _c: self.controller.unfinished(),
            on_success=self._on_unfinished,
        )

    def _on_unfinished(self, session_ids: list[int]) -> None:
        self._unfinished = session_ids
        self.view.setup_page.resume_button.setVisible(bool(session_ids))

    def _resume(self) -> None:
        if self._unfinished:
            self.view.setup_page.resume_button.setVisible(False)
            self.controller.resume(self._unfinished[0])

    def on_quit(self) -> None:
        self.controller.quit()
