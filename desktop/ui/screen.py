"""What every screen of the main window shares: a name, a title, hooks the window calls, and a
way to ask for another screen."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QLabel, QWidget


class Screen(QWidget):
    """A page of the main window. Subclasses set `name` (stable, stored as the last screen)
    and `title` (shown in the sidebar)."""

    name = "screen"
    title = "Screen"
    icon = "home"

    navigation_requested = Signal(str)
    status_changed = Signal(str)

    def on_shown(self) -> None:
        """The screen became visible: refresh what may have changed elsewhere."""

    def on_hidden(self) -> None:
        """Another screen took its place (pause what only counts while it is seen)."""

    def run_action(self, action: str) -> None:
        """An action asked for together with this screen (e.g. "bank:import")."""

    def on_quit(self) -> None:
        """The app is quitting: cancel what is in flight, keep what must not be lost."""


def title_label(text: str) -> QLabel:
    label = QLabel(text)
    label.setProperty("role", "title")
    return label


def muted_label(text: str = "") -> QLabel:
    label = QLabel(text)
    label.setProperty("role", "muted")
    label.setWordWrap(True)
    return label
