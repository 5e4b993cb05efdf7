"""The settings screen: scheduling options saved (and a bad one explained), the appearance
chosen, a backup made on request."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from desktop.core.review.schedule_settings import load_schedule_settings
from desktop.paths import UserPaths
from desktop.storage.backups import backup_file
from desktop.storage.database import Database
from desktop.storage.settings_store import DatabaseSettingsStore
from desktop.ui.settings.screen import DataPlaces, SettingsScreen
from desktop.ui.tasks import TaskRunner
from desktop.ui.theme import Appearance


def test_settings_are_saved_and_checked(
    qtbot: QtBot, database: Database, user_paths: UserPaths, runner: TaskRunner
) -> None:
    store = DatabaseSettingsStore(database)
    chosen: list[Appearance] = []
    places = DataPlaces(
        data_dir=user_paths.data_dir,
        database=user_paths.database,
        backups_dir=user_paths.backups_dir,
        back_up_now=lambda: backup_file(user_paths.database, user_paths.backups_dir),
    )
    screen = SettingsScreen(
        store, runner, places, appearance=Appearance.SYSTEM, on_appearance_chosen=chosen.append
    )
    qtbot.addWidget(screen)
    screen.show()
    screen.on_shown()
    form = screen.form
    qtbot.waitUntil(lambda: form.new_per_day.value() == 20)
    form.new_per_day.setValue(7)
    form.learning_steps.setText("2, 15")
    qtbot.mouseClick(screen.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: screen.schedule_message.text() == "Saved.")
    saved = load_schedule_settings(store)
    assert saved.new_per_day == 7
    assert saved.learning_steps_minutes == (2.0, 15.0)

    form.learning_steps.setText("soon")
    qtbot.mouseClick(screen.save_button, Qt.MouseButton.LeftButton)
    assert "Learning steps" in screen.schedule_message.text()
    assert load_schedule_settings(store).learning_steps_minutes == (2.0, 15.0)

    qtbot.mouseClick(screen.appearance_buttons[Appearance.DARK], Qt.MouseButton.LeftButton)
    assert chosen == [Appearance.DARK]

    qtbot.mouseClick(screen.backup_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: screen.backup_message.text().startswith("Backed up to"))
    assert list(Path(user_paths.backups_dir).glob("viva-manual-*.sqlite3"))
    qtbot.waitUntil(lambda: screen.backups.item(0).text().startswith("viva-manual-"))
