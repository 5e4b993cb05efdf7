"""Search and filters of the bank browser: full text, deck, topic, tag, kind and state."""

from __future__ import annotations

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLineEdit, QWidget

from desktop.core.bank.questions import QuestionKind, QuestionStatus
from desktop.core.bank.store import ALL_STATUSES, QuestionFilter
from desktop.ui.bank.table_model import BrowseState

ANY = "Any"
SEARCH_DELAY_MS = 250
_LIVE = frozenset({QuestionStatus.ACTIVE, QuestionStatus.SUSPENDED})


def _combo(name: str, tooltip: str) -> QComboBox:
    combo = QComboBox()
    combo.setObjectName(name)
    combo.setToolTip(tooltip)
    combo.addItem(ANY)
    combo.setMinimumContentsLength(8)
    combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
    return combo


class FilterBar(QWidget):
    """Emits `changed` when the database query changes and `states_changed` when only the
    state filter (applied to the loaded rows) does."""

    changed = Signal()
    states_changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.search = QLineEdit()
        self.search.setObjectName("bankSearch")
        self.search.setPlaceholderText("Search prompts and answers (Ctrl+F)")
        self.search.setClearButtonEnabled(True)
        self.deck = _combo("deckFilter", "Deck")
        self.topic = _combo("topicFilter", "Topic")
        self.tag = _combo("tagFilter", "Tag")
        self.kind = _combo("kindFilter", "Kind")
        self.kind.addItems([kind.value for kind in QuestionKind])
        self.state = _combo("stateFilter", "State")
        self.state.addItems([state.value for state in BrowseState])
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.search, 3)
        for combo in (self.deck, self.topic, self.tag, self.kind, self.state):
            layout.addWidget(combo, 1)
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(SEARCH_DELAY_MS)
        self._debounce.timeout.connect(self.changed)
        self.search.textChanged.connect(lambda _text: self._debounce.start())
        for combo in (self.deck, self.topic, self.tag, self.kind):
            combo.currentIndexChanged.connect(lambda _index: self.changed.emit())
        self.state.currentIndexChanged.connect(lambda _index: self.states_changed.emit())

    def set_choices(self, decks: list[str], topics: list[str], tags: list[str]) -> None:
        """Offers what the bank holds, keeping the current choice where it still exists."""
        for combo, values in ((self.deck, decks), (self.topic, topics), (self.tag, tags)):
            current = combo.currentText()
            combo.blockSignals(True)
            combo.clear()
            combo.addItem(ANY)
            combo.addItems(values)
            index = combo.findText(current)
            combo.setCurrentIndex(max(0, index))
            combo.blockSignals(False)

    @staticmethod
    def _chosen(combo: QComboBox) -> str | None:
        text = combo.currentText()
        return None if text == ANY else text

    def query(self) -> QuestionFilter:
        kind = self._chosen(self.kind)
        states = self.states()
        # Retired questions are only read when asked for; suspended ones are live.
        statuses = ALL_STATUSES if BrowseState.RETIRED in states else _LIVE
        return QuestionFilter(
            deck=self._chosen(self.deck),
            topic=self._chosen(self.topic),
            tag=self._chosen(self.tag),
            kind=QuestionKind(kind) if kind else None,
            statuses=statuses,
            search=self.search.text().strip() or None,
        )

    def states(self) -> frozenset[BrowseState]:
        chosen = self._chosen(self.state)
        return frozenset({BrowseState(chosen)}) if chosen else frozenset()

    def flush(self) -> None:
        """Applies a pending search now (Enter in the search field)."""
        if self._debounce.isActive():
            self._debounce.stop()
            self.changed.emit()
