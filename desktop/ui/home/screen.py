"""The home screen: today's due and new questions per deck and topic, the streak, the grading
model in use (and how far it can be trusted), and the buttons into practice: every deck, or the
deck chosen beside Start review (or double-clicked in the table)."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
)

from desktop.core.bank.questions import TOPIC_SEPARATOR
from desktop.core.grading.model_service import ModelState
from desktop.ui import shortcuts
from desktop.ui.clock import Clock, SystemClock
from desktop.ui.deck_choice import fill_deck_choice
from desktop.ui.home.summary import HomeSources, HomeSummary, greeting, load_home_summary
from desktop.ui.screen import Screen, muted_label, title_label
from desktop.ui.tasks import Lane, TaskFailure, TaskRunner
from desktop.ui.wording import count_of


def _tile(caption: str, name: str) -> tuple[QFrame, QLabel]:
    frame = QFrame()
    frame.setProperty("card", True)
    value = QLabel("–")
    value.setObjectName(name)
    value.setProperty("role", "bigNumber")
    layout = QVBoxLayout(frame)
    layout.addWidget(value)
    layout.addWidget(muted_label(caption))
    return frame, value


class HomeScreen(Screen):
    name = "home"
    title = "Home"
    icon = "home"
    decks_changed = Signal(list)  # the decks' names, whenever they are read

    def __init__(
        self, sources: HomeSources, runner: TaskRunner, *, clock: Clock | None = None
    ) -> None:
        super().__init__()
        self._sources = sources
        self._runner = runner
        self._clock = clock or SystemClock()
        self._loading = False
        self.summary: HomeSummary | None = None
        self.heading = title_label("Today")
        tiles = QGridLayout()
        self.due, self.new, self.streak, self.today = (
            self._add_tile(tiles, index, caption, name)
            for index, (caption, name) in enumerate(
                (
                    ("due for review", "homeDue"),
                    ("new questions today", "homeNew"),
                    ("day streak", "homeStreak"),
                    ("answered today", "homeToday"),
                )
            )
        )
        self.deck_choice = QComboBox()
        self.deck_choice.setObjectName("homeDeck")
        self.deck_choice.setToolTip("Which deck Start review practises")
        fill_deck_choice(self.deck_choice, [])
        self.deck_choice.currentIndexChanged.connect(lambda _index: self._show_counts())
        self.review_button = QPushButton(f"Start review   {shortcuts.START_REVIEW.keys}")
        self.review_button.setObjectName("homeReviewButton")
        self.review_button.setProperty("primary", True)
        self.review_button.setMinimumHeight(40)
        self.mock_button = QPushButton(f"Mock interview   {shortcuts.START_MOCK.keys}")
        self.mock_button.setObjectName("homeMockButton")
        self.mock_button.setMinimumHeight(40)
        self.import_button = QPushButton("Import notes…")
        self.import_button.setObjectName("homeImportButton")
        buttons = QHBoxLayout()
        buttons.addWidget(self.deck_choice)
        buttons.addWidget(self.review_button)
        buttons.addWidget(self.mock_button)
        buttons.addStretch(1)
        self.model_label = QLabel()
        self.model_label.setObjectName("homeModel")
        self.model_label.setWordWrap(True)
        self.models_button = QPushButton("Models…")
        self.models_button.setObjectName("homeModelsButton")
        model_box = QFrame()
        model_box.setProperty("card", True)
        model_row = QHBoxLayout(model_box)
        model_row.addWidget(self.model_label, 1)
        model_row.addWidget(self.models_button)
        self.topics = QTableWidget(0, 3)
        self.topics.setObjectName("homeTopics")
        self.topics.setHorizontalHeaderLabels(["Deck · topic", "Due", "New"])
        self.topics.verticalHeader().setVisible(False)
        self.topics.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.topics.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.topics.setToolTip("Double-click a deck (or press Enter on it) to practise it alone")
        # Enter or a double-click on a row (the view's "activated").
        self.topics.activated.connect(lambda index: self._practise_row(index.row()))
        self.limits_label = muted_label()
        self.limits_label.setObjectName("homeLimits")
        self._row_decks: list[str] = []
        self.topics.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.message = muted_label()
        self.message.setObjectName("homeMessage")
        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        top.addWidget(self.heading, 1)
        top.addWidget(self.import_button)
        layout.addLayout(top)
        layout.addLayout(tiles)
        layout.addLayout(buttons)
        layout.addWidget(model_box)
        layout.addWidget(QLabel("Today by deck and topic"))
        layout.addWidget(self.topics, 1)
        layout.addWidget(self.limits_label)
        layout.addWidget(self.message)
        self.review_button.clicked.connect(lambda: self._practise(self.deck_choice.currentData()))
        self.mock_button.clicked.connect(lambda: self.navigation_requested.emit("mock"))
        self.import_button.clicked.connect(lambda: self.navigation_requested.emit("bank:import"))
        self.models_button.clicked.connect(lambda: self.navigation_requested.emit("models"))
        self.show_model_state(ModelState(), loading=True)

    @staticmethod
    def _add_tile(grid: QGridLayout, index: int, caption: str, name: str) -> QLabel:
        frame, value = _tile(caption, name)
        grid.addWidget(frame, 0, index)
        return value

    def on_shown(self) -> None:
        self.refresh()

    def refresh(self) -> None:
        if self._loading:
            return
        self._loading = True
        now = self._clock.now()
        self._runner.submit(
            Lane.DATABASE,
            "counting today's questions",
            lambda _c: load_home_summary(self._sources, now),
            on_success=self._on_loaded,
            on_failure=self._on_failed,
        )

    def _practise(self, deck: str | None) -> None:
        self.navigation_requested.emit("practice:start" + (f":{deck}" if deck else ""))

    def _practise_row(self, row: int) -> None:
        if 0 <= row < len(self._row_decks):
            self._practise(self._row_decks[row])

    def _on_loaded(self, summary: HomeSummary) -> None:
        self._loading = False
        self.summary = summary
        self.heading.setText(f"Today · {greeting(summary.study_date)}")
        fill_deck_choice(self.deck_choice, [deck.deck for deck in summary.decks])
        self.streak.setText(str(summary.streak))
        self.today.setText(str(summary.reviews_today))
        rows: list[tuple[str, tuple[str, str, str], str, bool]] = []
        for deck in summary.decks:
            new = count_of(deck.new_alone, "new question")
            alone = f"Practised alone today, {deck.deck} brings {new}."
            rows.append((deck.deck, (deck.deck, str(deck.due), str(deck.new)), alone, True))
            for counts in deck.topics:
                topic = counts.topic.split(TOPIC_SEPARATOR)[-1] if counts.topic else "(no topic)"
                cells = (f"    {topic}", str(counts.due), str(counts.new))
                rows.append((deck.deck, cells, f"{counts.deck} · {counts.topic}", False))
        self.topics.setRowCount(len(rows))
        self._row_decks = [deck for deck, _cells, _tip, _bold in rows]
        for row, (_deck, cells, tip, bold) in enumerate(rows):
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setToolTip(tip)
                if bold:
                    font = item.font()
                    font.setBold(True)
                    item.setFont(font)
                self.topics.setItem(row, column, item)
        self.limits_label.setText(
            f"Daily limits, shared by every deck: {summary.new_per_day} new questions and "
            f"{summary.reviews_per_day} reviews (Settings). Mixed decks take turns."
        )
        self._show_counts()
        if not summary.questions:
            self.message.setText("Your question bank is empty: import your notes to begin.")
        elif not summary.due and not summary.new:
            self.message.setText("All done for today. A mock interview is always possible.")
        else:
            self.message.setText("")
        self.decks_changed.emit([deck.deck for deck in summary.decks])

    def _show_counts(self) -> None:
        """The tiles count what Start review would bring: every deck, or the chosen one."""
        summary = self.summary
        if summary is None:
            return
        chosen = self.deck_choice.currentData()
        deck = next((d for d in summary.decks if d.deck == chosen), None)
        due, new = (summary.due, summary.new) if deck is None else (deck.due, deck.new_alone)
        self.due.setText(str(due))
        self.new.setText(str(new))
        self.review_button.setEnabled(bool(due or new))

    def _on_failed(self, failure: TaskFailure) -> None:
        self._loading = False
        self.message.setText(failure.message)

    def show_check_progress(self, done: int, total: int) -> None:
        """The reliability check in the background, as it goes (grades meanwhile use word
        matching until it ends)."""
        self.model_label.setText(
            f"Checking the model's reliability: {done} of {total} known answers graded; "
            "until it ends, grades use word matching."
        )

    def show_model_state(self, state: ModelState, *, loading: bool = False) -> None:
        self.model_label.setText("Loading the grading model…" if loading else state.summary)
        # A model whose verdicts earned no weight is worth the learner's attention at once.
        self.model_label.setProperty("warning", not loading and state.unreliable)
        self.model_label.style().unpolish(self.model_label)
        self.model_label.style().polish(self.model_label)
