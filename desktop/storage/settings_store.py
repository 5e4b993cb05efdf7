"""Settings groups kept in the database's `settings` table, one JSON object per group."""

from __future__ import annotations

from typing import Any

from desktop.storage.database import Database
from desktop.storage.schema import SettingRow


class DatabaseSettingsStore:
    """`core.settings.SettingsStore` on the database: every save is committed when it returns."""

    def __init__(self, database: Database) -> None:
        self._database = database

    def load_group(self, name: str) -> dict[str, Any] | None:
        with self._database.reading() as session:
            row = session.get(SettingRow, name)
            return dict(row.value) if row is not None else None

    def save_group(self, name: str, values: dict[str, Any]) -> None:
        with self._database.session() as session:
            row = session.get(SettingRow, name)
            if row is None:
                session.add(SettingRow(key=name, value=dict(values)))
            else:
                row.value = dict(values)
