"""The main window: a sidebar of screens, the current screen, a status bar.

It remembers its geometry, the last screen and splitter sizes, and on close it lets each screen
cancel what is in flight before the task runner's workers are joined.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QAction, QCloseEvent, QIcon, QKeySequence, QPainter, QPaintEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QStackedWidget,
    QWidget,
)

from desktop import APP_NAME
from desktop.ui import shortcuts
from desktop.ui.help_dialog import HelpDialog
from desktop.ui.screen import Screen
from desktop.ui.tasks import TaskRunner
from desktop.ui.ui_state import UiState

_SCREEN_SHORTCUTS = (
    shortcuts.GO_HOME,
    shortcuts.GO_PRACTICE,
    shortcuts.GO_MOCK,
    shortcuts.GO_BANK,
    shortcuts.GO_MODELS,
    shortcuts.GO_STATISTICS,
    shortcuts.GO_SETTINGS,
)


class _ElidedLabel(QLabel):
    """One line that ends in "…" when the window is too narrow for it (the whole text is its
    tooltip): a long model sentence never keeps the window wide."""

    def minimumSizeHint(self) -> QSize:
        return QSize(80, super().minimumSizeHint().height())

    def sizeHint(self) -> QSize:
        hint = super().sizeHint()
        return QSize(min(hint.width(), 420), hint.height())

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        text = self.fontMetrics().elidedText(
            self.text(), Qt.TextElideMode.ElideRight, self.contentsRect().width()
        )
        painter.setPen(self.palette().color(self.foregroundRole()))
        align = Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft
        painter.drawText(self.contentsRect(), align, text)


class MainWindow(QMainWindow):
    def __init__(
        self,
        screens: list[Screen],
        state: UiState,
        runner: TaskRunner,
        *,
        icons_dir: Path | None = None,
    ) -> None:
        super().__init__()
        self.setObjectName("mainWindow")
        self.setWindowTitle(APP_NAME)
        self.screens = screens
        self.state = state
        self.runner = runner
        self._icons_dir = icons_dir
        self.sidebar = QListWidget()
        self.sidebar.setObjectName("sidebar")
        self.sidebar.setIconSize(QSize(20, 20))
        self.sidebar.setFixedWidth(190)
        self.stack = QStackedWidget()
        for screen in screens:
            item = QListWidgetItem(self._icon(screen.icon), screen.title)
            item.setData(Qt.ItemDataRole.UserRole, screen.name)
            self.sidebar.addItem(item)
            self.stack.addWidget(screen)
            screen.navigation_requested.connect(self.show_screen)
            screen.status_changed.connect(self._on_status_changed)
        central = QWidget()
        layout = QHBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.sidebar)
        layout.addWidget(self.stack, 1)
        self.setCentralWidget(central)
        self.sidebar.currentRowChanged.connect(self._on_sidebar_row_changed)
        self.model_label = _ElidedLabel()
        self.model_label.setObjectName("modelStatus")
        self.busy_label = QLabel("Working…")
        self.busy_label.setObjectName("busyIndicator")
        self.busy_label.setVisible(False)
        self.statusBar().addPermanentWidget(self.busy_label)
        self.statusBar().addPermanentWidget(self.model_label)
        # Shown while something runs, from the runner's own account of it: a task started by
        # another's end (a check that resumes after a grade) keeps it shown.
        runner.activity_changed.connect(self._show_activity)
        self._add_actions()
        self.resize(1200, 800)

    def _show_activity(self, doing: str) -> None:
        self.busy_label.setText(doing)
        self.busy_label.setVisible(bool(doing))

    def _icon(self, name: str) -> QIcon:
        if self._icons_dir is None:
            return QIcon()
        path = self._icons_dir / f"{name}.svg"
        return QIcon(str(path)) if path.is_file() else QIcon()

    def _add_actions(self) -> None:
        for index, shortcut in enumerate(_SCREEN_SHORTCUTS[: len(self.screens)]):
            action = QAction(f"Go to {shortcut.description}", self)
            action.setShortcut(QKeySequence(shortcut.keys))
            action.triggered.connect(lambda _=False, row=index: self.sidebar.setCurrentRow(row))
            self.addAction(action)
        for shortcut, slot in (
            (shortcuts.HELP, self.show_help),
            (shortcuts.QUIT, self.close),
            (shortcuts.START_REVIEW, lambda: self.show_screen("practice:start")),
            (shortcuts.START_MOCK, lambda: self.show_screen("mock")),
            (shortcuts.IMPORT, lambda: self.show_screen("bank:import")),
        ):
            action = QAction(shortcut.description, self)
            action.setShortcut(QKeySequence(shortcut.keys))
            action.triggered.connect(slot)
            self.addAction(action)

    def screen_named(self, name: str) -> Screen | None:
        return next((screen for screen in self.screens if screen.name == name), None)

    def current_screen(self) -> Screen:
        widget = self.stack.currentWidget()
        assert isinstance(widget, Screen)
        return widget

    def show_screen(self, target: str) -> None:
        """Shows a screen by name; "name:action" also runs one of its actions."""
        name, _, action = target.partition(":")
        for row, screen in enumerate(self.screens):
            if screen.name == name:
                self.sidebar.setCurrentRow(row)
                if action:
                    screen.run_action(action)
                return

    def show_help(self) -> None:
        dialog = HelpDialog(self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()

    def set_model_status(self, text: str) -> None:
        self.model_label.setText(text)
        self.model_label.setToolTip(text)

    def restore(self) -> None:
        """Geometry, splitter sizes and the last screen from the previous run."""
        self.state.restore_window(self)
        self.state.restore_splitters(self)
        self.show_screen(self.state.value("window/last_screen", self.screens[0].name))
        if self.sidebar.currentRow() < 0:
            self.sidebar.setCurrentRow(0)

    def _on_sidebar_row_changed(self, row: int) -> None:
        if row < 0:
            return
        previous = self.stack.currentWidget()
        self.stack.setCurrentIndex(row)
        screen = self.screens[row]
        if isinstance(previous, Screen) and previous is not screen:
            previous.on_hidden()
        self.state.set_value("window/last_screen", screen.name)
        screen.on_shown()

    def _on_status_changed(self, text: str) -> None:
        self.statusBar().showMessage(text, 8000)

    def closeEvent(self, event: QCloseEvent) -> None:
        for screen in self.screens:
            screen.on_quit()
        self.state.save_window(self)
        self.state.save_splitters(self)
        self.state.sync()
        self.runner.shutdown()
        event.accept()
