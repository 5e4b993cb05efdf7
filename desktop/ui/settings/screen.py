"""The settings screen: scheduling options (saved in the database), appearance (light, dark or
following the system), where the data lives, and backups."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QButtonGroup,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QPushButton,
    QRadioButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from desktop.core.errors import VivaError
from desktop.core.review.schedule_settings import (
    ScheduleSettings,
    load_schedule_settings,
    save_schedule_settings,
)
from desktop.core.settings import SettingsStore
from desktop.ui.screen import Screen, muted_label, title_label
from desktop.ui.settings.scheduling_form import SchedulingForm
from desktop.ui.tasks import Lane, TaskFailure, TaskRunner
from desktop.ui.theme import Appearance

RECENT_BACKUPS = 8
MAX_FORM_WIDTH = 860


@dataclass(frozen=True)
class DataPlaces:
    """Where the data is, and how to back it up now (returns the backup's path)."""

    data_dir: Path
    database: Path
    backups_dir: Path
    back_up_now: Callable[[], Path]


def recent_backups(folder: Path) -> list[Path]:
    found = sorted(folder.glob("viva-*.sqlite3"), key=lambda p: p.stat().st_mtime, reverse=True)
    return found[:RECENT_BACKUPS]


class SettingsScreen(Screen):
    name = "settings"
    title = "Settings"
    icon = "settings"

    def __init__(
        self,
        store: SettingsStore,
        runner: TaskRunner,
        places: DataPlaces,
        *,
        appearance: Appearance,
        on_appearance_chosen: Callable[[Appearance], None],
    ) -> None:
        super().__init__()
        self._store = store
        self._runner = runner
        self._places = places
        self.form = SchedulingForm()
        self.save_button = QPushButton("Save scheduling options")
        self.save_button.setObjectName("saveSchedulingButton")
        self.save_button.setProperty("primary", True)
        self.schedule_message = muted_label()
        self.schedule_message.setObjectName("scheduleMessage")
        scheduling = QGroupBox("Scheduling")
        scheduling_layout = QVBoxLayout(scheduling)
        scheduling_layout.addWidget(self.form)
        row = QHBoxLayout()
        row.addWidget(self.schedule_message, 1)
        row.addWidget(self.save_button)
        scheduling_layout.addLayout(row)

        look = QGroupBox("Appearance")
        look_layout = QHBoxLayout(look)
        self.appearance = QButtonGroup(self)
        self.appearance_buttons: dict[Appearance, QRadioButton] = {}
        for choice in Appearance:
            button = QRadioButton(choice.value.capitalize())
            button.setObjectName(f"appearance_{choice.value}")
            button.setChecked(choice is appearance)
            button.toggled.connect(self._appearance_slot(choice, on_appearance_chosen))
            self.appearance.addButton(button)
            self.appearance_buttons[choice] = button
            look_layout.addWidget(button)
        look_layout.addStretch(1)

        data = QGroupBox("Your data")
        data_layout = QVBoxLayout(data)
        for caption, path in (
            ("Data folder", places.data_dir),
            ("Database", places.database),
            ("Backups", places.backups_dir),
        ):
            label = QLabel(f"{caption}: {path}")
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            data_layout.addWidget(label)
        self.backups = QListWidget()
        self.backups.setObjectName("backupList")
        self.backups.setMaximumHeight(150)
        self.backup_button = QPushButton("Back up now")
        self.backup_button.setObjectName("backupNowButton")
        self.open_button = QPushButton("Open data folder")
        self.open_button.setObjectName("openDataFolderButton")
        self.backup_message = muted_label(
            "A backup is made automatically once a day when Viva starts (the last 7 days and "
            "4 weeks are kept). Restore one with `python -m desktop restore FILE`."
        )
        self.backup_message.setObjectName("backupMessage")
        buttons = QHBoxLayout()
        buttons.addWidget(self.open_button)
        buttons.addStretch(1)
        buttons.addWidget(self.backup_button)
        data_layout.addWidget(self.backups)
        data_layout.addWidget(self.backup_message)
        data_layout.addLayout(buttons)

        content = QWidget()
        content.setMaximumWidth(MAX_FORM_WIDTH)  # long fields are hard to read on wide screens
        body = QVBoxLayout(content)
        body.addWidget(title_label("Settings"))
        body.addWidget(scheduling)
        body.addWidget(look)
        body.addWidget(data)
        body.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(content)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(scroll)
        self.save_button.clicked.connect(self.save_scheduling)
        self.backup_button.clicked.connect(self.back_up)
        self.open_button.clicked.connect(
            lambda: QDesktopServices.openUrl(QUrl.fromLocalFile(str(places.data_dir)))
        )

    @staticmethod
    def _appearance_slot(
        choice: Appearance, chosen: Callable[[Appearance], None]
    ) -> Callable[[bool], None]:
        def on_toggled(on: bool) -> None:
            if on:
                chosen(choice)

        return on_toggled

    def _read(self, _context: object) -> tuple[ScheduleSettings, list[Path]]:
        return load_schedule_settings(self._store), recent_backups(self._places.backups_dir)

    def on_shown(self) -> None:
        self._runner.submit(
            Lane.DATABASE,
            "reading the settings",
            self._read,
            on_success=self._on_loaded,
            on_failure=self._on_failed,
        )

    def _on_loaded(self, loaded: tuple[ScheduleSettings, list[Path]]) -> None:
        settings, backups = loaded
        self.form.show_settings(settings)
        self.backups.clear()
        self.backups.addItems([path.name for path in backups] or ["No backups yet."])

    def _on_failed(self, failure: TaskFailure) -> None:
        self.schedule_message.setText(failure.message)

    def save_scheduling(self) -> None:
        try:
            settings = self.form.edited()
        except VivaError as error:
            self.schedule_message.setText(error.message)
            return
        self._runner.submit(
            Lane.DATABASE,
            "saving the scheduling options",
            lambda _c: save_schedule_settings(self._store, settings),
            on_success=lambda _none: self.schedule_message.setText("Saved."),
            on_failure=self._on_failed,
        )

    def back_up(self) -> None:
        self.backup_button.setEnabled(False)
        self._runner.submit(
            Lane.DATABASE,
            "backing up the database",
            lambda _c: self._places.back_up_now(),
            on_success=self._on_backed_up,
            on_failure=self._on_backup_failed,
        )

    def _on_backed_up(self, path: Path) -> None:
        self.backup_button.setEnabled(True)
        self.backup_message.setText(f"Backed up to {path}.")
        self.on_shown()

    def _on_backup_failed(self, failure: TaskFailure) -> None:
        self.backup_button.setEnabled(True)
        self.backup_message.setText(failure.message)
