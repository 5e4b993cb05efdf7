"""Where settings groups are kept, as seen by the packages that own them: a named group of
plain JSON values (model, scheduling, appearance ...). `storage` implements it in the database.
"""

from __future__ import annotations

from typing import Any, Protocol


class SettingsStore(Protocol):
    """Reads and writes named settings groups; a group never saved reads as None."""

    def load_group(self, name: str) -> dict[str, Any] | None: ...

    def save_group(self, name: str, values: dict[str, Any]) -> None: ...
