"""Search and filters of the bank browser: full text, deck, topic, tag, kind and state."""

from __future__ import annotations

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLineEdit, QWidget

from desktop.core.bank.questions import QuestionKind, QuestionStatus
from desktop.core.bank.store import ALL_STATUSES, QuestionFilter
from desktop.ui.bank.table_model import BrowseState

SEARCH_DELAY_MS = 250
_LIVE = frozenset({QuestionStatus.ACTIVE, QuestionStatus.SUSPENDED})


def _combo(name: str, what: str, values: list[str] | None = None) -> QComboBox:
    """A filter that reads "Any <what>" until a value is chosen (each item's data is its
    value, None for any)."""
    combo = QComboBox()
    combo.setObjectName(name)
    combo.setToolTip(f"Only questions of this {what}")
    combo.setProperty("anyText", f"Any {what}")
    combo.addItem(f"Any {what}", None)
    for value in values or []:
        combo.addItem(value, value)
    combo.setMinimumContentsLength(5)
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
        self.deck = _combo("deckFilter", "deck")
        self.topic = _combo("topicFilter", "topic")
        self.tag = _combo("tagFilter", "tag")
        self.kind = _combo("kindFilter", "kind", [kind.value for kind in QuestionKind])
        self.state = _combo("stateFilter", "state", [state.value for state in BrowseState])
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
            current = combo.currentData()
            combo.blockSignals(True)
            combo.clear()
            combo.addItem(str(combo.property("anyText")), None)
            for value in values:
                combo.addItem(value, value)
            index = combo.findData(current) if current is not None else 0
            combo.setCurrentIndex(max(0, index))
            combo.blockSignals(False)

    @staticmethod
    def _chosen(combo: QComboBox) -> str | None:
        value = combo.currentData()
        return value if isinstance(value, str) else None

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
