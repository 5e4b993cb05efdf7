"""The bank as a table: one row per question with its scheduling state, due date, last score
and lapses. A proxy filters by state and sorts by the raw values, not the shown text."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)

from desktop.core.bank.questions import TOPIC_SEPARATOR, Question, QuestionStatus
from desktop.core.review.cards import CardSnapshot, CardState

SORT_ROLE = Qt.ItemDataRole.UserRole + 1
_Index = QModelIndex | QPersistentModelIndex


class BrowseState(StrEnum):
    NEW = "new"
    LEARNING = "learning"
    DUE = "due"
    REVIEW = "review"
    SUSPENDED = "suspended"
    RETIRED = "retired"


@dataclass(frozen=True)
class BankRow:
    question: Question
    card: CardSnapshot | None
    last_score: float | None

    def state(self, now: datetime) -> BrowseState:
        if self.question.status is QuestionStatus.RETIRED:
            return BrowseState.RETIRED
        if self.question.status is QuestionStatus.SUSPENDED:
            return BrowseState.SUSPENDED
        if self.card is None or self.card.state is CardState.NEW:
            return BrowseState.NEW
        if self.card.state in (CardState.LEARNING, CardState.RELEARNING):
            return BrowseState.LEARNING
        return BrowseState.DUE if self.card.due <= now else BrowseState.REVIEW


COLUMNS = ("Question", "Deck", "Topic", "Kind", "State", "Due", "Last score", "Lapses")
DECK_COLUMN = COLUMNS.index("Deck")
TOPIC_COLUMN = COLUMNS.index("Topic")
KIND_COLUMN = COLUMNS.index("Kind")
STATE_COLUMN = COLUMNS.index("State")
DUE_COLUMN = COLUMNS.index("Due")
SCORE_COLUMN = COLUMNS.index("Last score")
LAPSES_COLUMN = COLUMNS.index("Lapses")


def one_line(text: str, limit: int = 120) -> str:
    flat = " ".join(text.replace("**", "").split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


class QuestionTableModel(QAbstractTableModel):
    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.rows: list[BankRow] = []
        self.now = datetime.now(UTC)

    def set_rows(self, rows: list[BankRow], now: datetime) -> None:
        self.beginResetModel()
        self.rows = rows
        self.now = now
        self.endResetModel()

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008 - Qt's default
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008 - Qt's default
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> object:
        if orientation is Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section]
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid():
            return None
        row = self.rows[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(row, column)
        if role == SORT_ROLE:
            return self._sort_value(row, column)
        if role == Qt.ItemDataRole.ToolTipRole and column in (0, TOPIC_COLUMN):
            return row.question.prompt if column == 0 else row.question.topic
        return None

    def _text(self, row: BankRow, column: int) -> str:
        question = row.question
        card = row.card
        if column == 0:
            return one_line(question.prompt)
        if column == DECK_COLUMN:
            return question.deck
        if column == TOPIC_COLUMN:
            return question.topic.split(TOPIC_SEPARATOR)[-1]
        if column == KIND_COLUMN:
            return question.kind.value
        if column == STATE_COLUMN:
            return row.state(self.now).value
        if column == DUE_COLUMN:
            return card.due.astimezone().strftime("%Y-%m-%d") if card else "—"
        if column == SCORE_COLUMN:
            return "—" if row.last_score is None else f"{row.last_score:.0%}"
        return str(card.lapses) if card else "0"

    def _sort_value(self, row: BankRow, column: int) -> object:
        if column == DUE_COLUMN:
            # Questions never seen sort after every scheduled one.
            return row.card.due.timestamp() if row.card else float("inf")
        if column == SCORE_COLUMN:
            return -1.0 if row.last_score is None else row.last_score
        if column == LAPSES_COLUMN:
            return row.card.lapses if row.card else 0
        if column == 0:
            return row.question.position + row.question.deck_id * 1_000_000
        return self._text(row, column)


class BankProxy(QSortFilterProxyModel):
    """Keeps rows whose state is in `states` (all when empty) and sorts by raw values."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.states: frozenset[BrowseState] = frozenset()
        self.setSortRole(SORT_ROLE)

    def set_states(self, states: frozenset[BrowseState]) -> None:
        self.beginFilterChange()
        self.states = states
        self.endFilterChange()

    def filterAcceptsRow(self, source_row: int, source_parent: _Index) -> bool:
        model = self.sourceModel()
        if not self.states or not isinstance(model, QuestionTableModel):
            return True
        return model.rows[source_row].state(model.now) in self.states

    def lessThan(self, left: _Index, right: _Index) -> bool:
        a = left.data(SORT_ROLE)
        b = right.data(SORT_ROLE)
        if isinstance(a, int | float) and isinstance(b, int | float):
            return a < b
        return str(a).casefold() < str(b).casefold()

    def row_at(self, proxy_row: int) -> BankRow | None:
        model = self.sourceModel()
        if not isinstance(model, QuestionTableModel) or proxy_row < 0:
            return None
        source = self.mapToSource(self.index(proxy_row, 0))
        return model.rows[source.row()] if source.isValid() else None
