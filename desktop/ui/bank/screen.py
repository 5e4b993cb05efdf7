"""The bank browser screen: filter bar, sortable table, the selected question, and the actions
(edit, suspend, retire, import by dialog or by dropping files)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent, QKeySequence, QResizeEvent, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QPushButton,
    QSplitter,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QVBoxLayout,
)

from desktop.core.bank.importing import ExportAnki, NotesImporter
from desktop.core.bank.questions import ImportSummary, Question, QuestionStatus
from desktop.core.bank.store import QuestionBankStore
from desktop.core.reports.history import HistorySource
from desktop.ui import shortcuts
from desktop.ui.bank.anki_export import ChooseAnkiTarget, choose_anki_target
from desktop.ui.bank.detail import QuestionDetail
from desktop.ui.bank.filter_bar import FilterBar
from desktop.ui.bank.import_dialog import NOTES_SUFFIXES, summary_sentence
from desktop.ui.bank.import_flow import ChooseFiles, ImportFlow, choose_notes_files
from desktop.ui.bank.loading import BankSnapshot, load_snapshot
from desktop.ui.bank.question_actions import QuestionActions
from desktop.ui.bank.table_model import (
    DECK_COLUMN,
    TOPIC_COLUMN,
    BankProxy,
    BankRow,
    QuestionTableModel,
)
from desktop.ui.error_dialog import show_failure
from desktop.ui.screen import Screen, muted_label, title_label
from desktop.ui.tasks import Lane, TaskFailure, TaskRunner
from desktop.ui.ui_state import UiState
from desktop.ui.wording import count_of

# Topic, kind, state, due, last score, lapses.
COLUMN_WIDTHS = (90, 110, 44, 72, 84, 78, 56)  # Deck, Topic, Kind, State, Due, Last score, Lapses

# Where the import and Anki export dialogs were last used (window-state.ini).
_LAST_IMPORT_FOLDER = "import/last_folder"
_LAST_ANKI_FOLDER = "export/anki_folder"
_HEADER_PADDING = 28
# Narrower than this, the question's details go below the table instead of beside it, so every
# column of the table stays in view.
NARROW_WIDTH = 1000


class MiddleElided(QStyledItemDelegate):
    """Cells too narrow for their text keep its start and its end: "Interview … Tools"."""

    def initStyleOption(
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> None:
        super().initStyleOption(option, index)
        option.textElideMode = Qt.TextElideMode.ElideMiddle
        # A wrapped cell is cut at its last visible line ("Interview …"), never elided.
        option.features &= ~QStyleOptionViewItem.ViewItemFeature.WrapText


class BankScreen(Screen):
    name = "bank"
    title = "Question bank"
    icon = "bank"

    def __init__(
        self,
        bank: QuestionBankStore,
        history: HistorySource,
        importer: NotesImporter,
        runner: TaskRunner,
        *,
        choose_files: ChooseFiles = choose_notes_files,
        export_anki: ExportAnki | None = None,
        choose_anki_target: ChooseAnkiTarget = choose_anki_target,
        state: UiState | None = None,
    ) -> None:
        super().__init__()
        self._state = state
        self._bank = bank
        self._history = history
        self._runner = runner
        self._choose_files = choose_files
        self._export_anki = export_anki
        self._choose_anki_target = choose_anki_target
        self._loading = False
        self._reload_again = False
        self.question_actions = QuestionActions(bank, runner, self)
        self.question_actions.changed.connect(self._on_changed)
        self.import_flow = ImportFlow(importer, runner, self)
        self.import_flow.imported.connect(self._on_imported)
        self.setAcceptDrops(True)

        self.filters = FilterBar()
        self.model = QuestionTableModel(self)
        self.proxy = BankProxy(self)
        self.proxy.setSourceModel(self.model)
        self.table = QTableView()
        self.table.setObjectName("bankTable")
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        # The other columns keep modest widths (adjustable) so the question stays readable,
        # never narrower than their title (with room for the sort arrow).
        titles = header.fontMetrics()
        for column, width in enumerate(COLUMN_WIDTHS, start=1):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
            title = str(self.model.headerData(column, Qt.Orientation.Horizontal))
            needed = titles.horizontalAdvance(title) + _HEADER_PADDING
            self.table.setColumnWidth(column, max(width, needed))
        self.table.setTextElideMode(Qt.TextElideMode.ElideRight)
        # Topics often share their first words ("Interview Questions: …"): keep both ends.
        self._topic_cells = MiddleElided(self.table)
        self.table.setItemDelegateForColumn(TOPIC_COLUMN, self._topic_cells)
        self.detail = QuestionDetail()
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setObjectName("bankSplitter")
        self.splitter.addWidget(self.table)
        self.splitter.addWidget(self.detail)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        self.splitter.setSizes([880, 340])
        self.splitter.setChildrenCollapsible(False)
        self.count_label = muted_label()
        self.count_label.setObjectName("bankCount")
        self.import_button = QPushButton("Import notes…")
        self.import_button.setObjectName("importButton")
        self.import_button.setToolTip(f"{shortcuts.IMPORT.keys}, or drop files here")
        top = QHBoxLayout()
        top.addWidget(title_label("Question bank"))
        top.addWidget(self.count_label, 1)
        top.addWidget(self.import_button)
        self.anki_button = QPushButton("Export to Anki…")
        self.anki_button.setObjectName("exportAnkiButton")
        self.anki_button.setToolTip("Write the questions listed (the filters apply) as an .apkg")
        self.anki_button.setVisible(export_anki is not None)
        top.addWidget(self.anki_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.filters)
        layout.addWidget(self.splitter, 1)
        self._connect()

    def _connect(self) -> None:
        self.filters.changed.connect(self.reload)
        self.filters.states_changed.connect(self._on_states_changed)
        self.filters.search.returnPressed.connect(self.filters.flush)
        self.table.selectionModel().currentRowChanged.connect(
            lambda current, _previous: self.detail.show_question(self._question_at(current.row()))
        )
        self.table.doubleClicked.connect(lambda _index: self.edit_selected())
        self.detail.edit_button.clicked.connect(self.edit_selected)
        self.detail.suspend_button.clicked.connect(self.toggle_suspended)
        self.detail.retire_button.clicked.connect(self.toggle_retired)
        self.import_button.clicked.connect(self.import_files)
        self.anki_button.clicked.connect(self.export_to_anki)
        for shortcut, slot in (
            (shortcuts.SEARCH, self._focus_search),
            (shortcuts.SUSPEND, self.toggle_suspended),
            (shortcuts.RETIRE, self.toggle_retired),
        ):
            QShortcut(QKeySequence(shortcut.keys), self, slot)
        edit = QShortcut(QKeySequence(Qt.Key.Key_Return), self.table, self.edit_selected)
        edit.setContext(Qt.ShortcutContext.WidgetShortcut)

    def on_shown(self) -> None:
        self.reload()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        narrow = event.size().width() < NARROW_WIDTH
        wanted = Qt.Orientation.Vertical if narrow else Qt.Orientation.Horizontal
        if self.splitter.orientation() != wanted:
            self.splitter.setOrientation(wanted)
            whole = self.splitter.height() if narrow else self.splitter.width()
            self.splitter.setSizes([whole * 3 // 5, whole * 2 // 5])

    def run_action(self, action: str) -> None:
        if action == "import":
            self.import_files()

    def reload(self) -> None:
        if self._loading:
            self._reload_again = True
            return
        self._loading = True
        query = self.filters.query()
        self._runner.submit(
            Lane.DATABASE,
            "reading the question bank",
            lambda _c: load_snapshot(self._bank, self._history, query, datetime.now(UTC)),
            on_success=self._on_loaded,
            on_failure=self._on_failed,
        )

    def _on_loaded(self, snapshot: BankSnapshot) -> None:
        self._loading = False
        if self._reload_again:
            self._reload_again = False
            self.reload()
            return
        selected = self.selected_question()
        self.filters.set_choices(snapshot.decks, snapshot.topics, snapshot.tags)
        # One deck needs no column: the question keeps the room.
        self.table.setColumnHidden(DECK_COLUMN, len(snapshot.decks) <= 1)
        self.model.set_rows(snapshot.rows, snapshot.at)
        self._update_count()
        if selected is not None:
            self.select_question(selected.id)
        if self.table.currentIndex().row() < 0 and self.proxy.rowCount() > 0:
            self.table.selectRow(0)
        self.detail.show_question(self.selected_question())

    def _on_failed(self, failure: TaskFailure) -> None:
        self._loading = False
        self.count_label.setText(failure.message)

    def _on_states_changed(self) -> None:
        states = self.filters.states()
        if any(state.value == "retired" for state in states) != self._retired_loaded():
            self.reload()  # retired questions are only read when asked for
        self.proxy.set_states(states)
        self._update_count()

    def _retired_loaded(self) -> bool:
        return any(row.question.status is QuestionStatus.RETIRED for row in self.model.rows)

    def _update_count(self) -> None:
        shown, total = self.proxy.rowCount(), self.model.rowCount()
        self.count_label.setText(f"{shown} of {total} questions")

    def _focus_search(self) -> None:
        self.filters.search.setFocus()
        self.filters.search.selectAll()

    def _question_at(self, proxy_row: int) -> Question | None:
        row = self.proxy.row_at(proxy_row)
        return row.question if row is not None else None

    def selected_question(self) -> Question | None:
        return self._question_at(self.table.currentIndex().row())

    def select_question(self, question_id: int) -> bool:
        for proxy_row in range(self.proxy.rowCount()):
            row: BankRow | None = self.proxy.row_at(proxy_row)
            if row is not None and row.question.id == question_id:
                self.table.selectRow(proxy_row)
                return True
        return False

    def edit_selected(self) -> None:
        self.question_actions.edit(self.selected_question())

    def toggle_suspended(self) -> None:
        self.question_actions.toggle_suspended(self.selected_question())

    def toggle_retired(self) -> None:
        self.question_actions.toggle_retired(self.selected_question())

    def _on_changed(self, done: str) -> None:
        self.status_changed.emit(done)
        self.reload()

    def export_to_anki(self) -> None:
        export = self._export_anki
        questions = [row.question for row in self.model.rows]
        if export is None or not questions:
            return
        suggested = self._last_folder(_LAST_ANKI_FOLDER) / "viva-questions.apkg"
        target = self._choose_anki_target(self, suggested)
        if target is None:
            return
        self._remember_folder(_LAST_ANKI_FOLDER, target.parent)
        self.anki_button.setEnabled(False)

        def done(written: int) -> None:
            self.anki_button.setEnabled(True)
            self.status_changed.emit(f"Wrote {count_of(written, 'note')} for Anki to {target}")

        def failed(failure: TaskFailure) -> None:
            self.anki_button.setEnabled(True)
            show_failure(self, "The Anki package could not be written", failure)

        self._runner.submit(
            Lane.DATABASE,
            "writing the Anki package",
            lambda _context: export(questions, target),
            on_success=done,
            on_failure=failed,
        )

    def import_files(self) -> None:
        chosen = self._choose_files(self, self._last_folder(_LAST_IMPORT_FOLDER))
        if chosen:
            self._remember_folder(_LAST_IMPORT_FOLDER, chosen[0].parent)
        self.import_flow.start(chosen)

    def _last_folder(self, key: str) -> Path:
        """Where a file dialog starts: the folder used last time, else the home folder."""
        last = self._state.value(key) if self._state is not None else ""
        return Path(last) if last and Path(last).is_dir() else Path.home()

    def _remember_folder(self, key: str, folder: Path) -> None:
        if self._state is not None:
            self._state.set_value(key, str(folder))

    def _on_imported(self, summary: ImportSummary) -> None:
        self.status_changed.emit(f"Imported: {summary_sentence(summary)}")
        self.reload()

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if _dropped_notes(event.mimeData().urls()):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        files = _dropped_notes(event.mimeData().urls())
        if files:
            event.acceptProposedAction()
            self.import_flow.start(files)


def _dropped_notes(urls: list[QUrl]) -> list[Path]:
    files = []
    for url in urls:
        local = url.toLocalFile()
        if local and Path(local).suffix.lower() in NOTES_SUFFIXES:
            files.append(Path(local))
    return files
