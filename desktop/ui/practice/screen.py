"""The practice screen: the view, its controller, and the keys that drive them."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QVBoxLayout

from desktop.core.grading.grades import Grader
from desktop.core.review.cards import Rating
from desktop.core.review.due_queue import QueueFilter
from desktop.core.review.session import ReviewSession
from desktop.ui import shortcuts
from desktop.ui.clock import Clock
from desktop.ui.deck_choice import fill_deck_choice
from desktop.ui.practice.controller import PracticeController, PracticeState
from desktop.ui.practice.drafts import Drafts
from desktop.ui.practice.view import PracticeView
from desktop.ui.screen import Screen
from desktop.ui.shortcuts import bind_shortcut
from desktop.ui.tasks import TaskRunner

_DECK_CHOICE_STATES = {
    PracticeState.IDLE.value,
    PracticeState.ANSWERING.value,
    PracticeState.FINISHED.value,
}

_RATING_KEYS = {
    Qt.Key.Key_1: Rating.AGAIN,
    Qt.Key.Key_2: Rating.HARD,
    Qt.Key.Key_3: Rating.GOOD,
    Qt.Key.Key_4: Rating.EASY,
}


class PracticeScreen(Screen):
    name = "practice"
    title = "Practice"
    icon = "practice"

    def __init__(
        self,
        new_session: Callable[[QueueFilter], ReviewSession],
        current_grader: Callable[[], Grader | None],
        runner: TaskRunner,
        drafts: Drafts,
        *,
        clock: Clock | None = None,
    ) -> None:
        super().__init__()
        self.view = PracticeView()
        self.controller = PracticeController(
            self.view, new_session, current_grader, runner, drafts, clock=clock
        )
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.view)
        self._bind()
        QTimer.singleShot(0, self.view.warm_up)
        self.view.show_empty("Start today's review to practise the questions that are due.")

    def _shortcut(
        self, keys: QKeySequence | str | tuple[str, ...], slot: Callable[[], None]
    ) -> QShortcut:
        return bind_shortcut(self, keys, slot)

    def _bind(self) -> None:
        view, controller = self.view, self.controller
        pane = view.answer_pane
        pane.submit_button.clicked.connect(controller.submit)
        pane.self_rate_button.clicked.connect(lambda: controller.submit(self_rated=True))
        pane.cancel_button.clicked.connect(controller.cancel_grading)
        view.rating_bar.rating_chosen.connect(controller.rate)
        view.retry_button.clicked.connect(controller.retry)
        view.undo_button.clicked.connect(controller.undo)
        view.empty_page.button.clicked.connect(controller.start)
        view.finished_page.button.clicked.connect(lambda: self.navigation_requested.emit("home"))
        view.deck_choice.currentIndexChanged.connect(
            lambda _index: controller.choose_deck(view.deck_choice.currentData())
        )
        controller.status_changed.connect(self.status_changed)
        controller.state_changed.connect(self._on_state_changed)
        self._shortcut(shortcuts.SUBMIT.every_key, controller.submit)
        self._shortcut(shortcuts.SELF_RATE.keys, lambda: controller.submit(self_rated=True))
        self._shortcut(shortcuts.MONOSPACE.keys, pane.editor.toggle_monospace)
        self._shortcut(shortcuts.SKIP.keys, lambda: controller.move_on("skip"))
        self._shortcut(shortcuts.BURY.keys, lambda: controller.move_on("bury"))
        self._shortcut(shortcuts.UNDO_REVIEW.keys, controller.undo)
        # Single keys only while no text field is in use: they would otherwise eat typing.
        self._cancel_key = self._shortcut("Esc", controller.escape)
        self._rating_keys = [
            self._shortcut(QKeySequence(key), partial(controller.rate, rating))
            for key, rating in _RATING_KEYS.items()
        ]
        self._rating_keys += [
            self._shortcut(QKeySequence(key), partial(controller.rate, None))
            for key in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
        ]
        self._on_state_changed(controller.state.value)

    def set_decks(self, decks: list[str]) -> None:
        fill_deck_choice(self.view.deck_choice, decks)

    def _on_state_changed(self, state: str) -> None:
        self._cancel_key.setEnabled(
            state in (PracticeState.GRADING.value, PracticeState.RATING.value)
        )
        self.view.deck_choice.setEnabled(state in _DECK_CHOICE_STATES)
        for shortcut in self._rating_keys:
            shortcut.setEnabled(state == PracticeState.RATING.value)

    def start_review(self) -> None:
        self.controller.start()

    def on_shown(self) -> None:
        self.controller.resume()
        if self.controller.state is PracticeState.ANSWERING:
            self.view.answer_pane.editor.setFocus()
        elif self.controller.state is PracticeState.RATING:
            self.view.rating_bar.take_focus()  # back from another screen: 1-4 still rate

    def on_hidden(self) -> None:
        self.controller.pause()

    def run_action(self, action: str) -> None:
        """ "start" starts (or returns to) the review; "start:DECK" practises one deck."""
        what, _, deck = action.partition(":")
        if what != "start":
            return
        if deck:
            choice = self.view.deck_choice
            index = choice.findData(deck)
            if index < 0:
                choice.addItem(deck, deck)
                index = choice.count() - 1
            choice.setCurrentIndex(index)  # a review in progress starts again on that deck
        self.start_review()

    def on_quit(self) -> None:
        self.controller.quit()
