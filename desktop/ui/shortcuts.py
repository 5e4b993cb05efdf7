"""Every keyboard shortcut in one table: the screens bind from it and the help dialog lists it,
so the two cannot drift apart."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QWidget


@dataclass(frozen=True)
class Shortcut:
    keys: str
    description: str
    where: str
    also: tuple[str, ...] = ()  # other keys that do the same (the keypad's Enter)

    @property
    def every_key(self) -> tuple[str, ...]:
        return (self.keys, *self.also)


GO_HOME = Shortcut("Ctrl+1", "Home", "Anywhere")
GO_PRACTICE = Shortcut("Ctrl+2", "Practice", "Anywhere")
GO_MOCK = Shortcut("Ctrl+3", "Mock interview", "Anywhere")
GO_BANK = Shortcut("Ctrl+4", "Question bank", "Anywhere")
GO_MODELS = Shortcut("Ctrl+5", "Models", "Anywhere")
GO_STATISTICS = Shortcut("Ctrl+6", "Statistics", "Anywhere")
GO_SETTINGS = Shortcut("Ctrl+7", "Settings", "Anywhere")
HELP = Shortcut("F1", "Show these shortcuts", "Anywhere")
QUIT = Shortcut("Ctrl+Q", "Quit (a grade in progress is cancelled)", "Anywhere")
START_REVIEW = Shortcut("Ctrl+R", "Start today's review", "Anywhere")
START_MOCK = Shortcut("Ctrl+Shift+M", "Set up a mock interview", "Anywhere")

SUBMIT = Shortcut(
    "Ctrl+Return", "Submit the answer", "Practice, mock interview", also=("Ctrl+Enter",)
)
CANCEL_GRADE = Shortcut("Esc", "Cancel the grade in progress", "Practice")
RATE = Shortcut("1 2 3 4", "Rate Again / Hard / Good / Easy (overrides the suggestion)", "Practice")
CONFIRM_RATING = Shortcut("Return", "Accept the suggested rating", "Practice")
MONOSPACE = Shortcut("Ctrl+Shift+F", "Toggle monospace in the answer editor", "Practice, mock")
SKIP = Shortcut("Ctrl+Shift+S", "Skip this question", "Practice")
BURY = Shortcut("Ctrl+Shift+B", "Bury this question until tomorrow", "Practice")
UNDO_REVIEW = Shortcut("Ctrl+Z", "Undo the last review", "Practice")
SELF_RATE = Shortcut("Ctrl+Shift+R", "Skip grading and rate yourself", "Practice")

SEARCH = Shortcut("Ctrl+F", "Search the question bank", "Question bank")
IMPORT = Shortcut("Ctrl+I", "Import notes files", "Anywhere")
EDIT = Shortcut("Return", "Edit the selected question", "Question bank")
SUSPEND = Shortcut("Ctrl+Shift+U", "Suspend or resume the selected question", "Question bank")
RETIRE = Shortcut("Delete", "Retire the selected question", "Question bank")
SAVE_EDIT = Shortcut("Ctrl+S", "Save the edited question", "Question editor")

EXPORT = Shortcut("Ctrl+E", "Export a progress report", "Statistics")
LOAD_MODEL = Shortcut("Ctrl+L", "Load the selected model", "Models")
ADD_MODEL = Shortcut("Ctrl+O", "Add a model file", "Models")

ALL = (
    GO_HOME,
    GO_PRACTICE,
    GO_MOCK,
    GO_BANK,
    GO_MODELS,
    GO_STATISTICS,
    GO_SETTINGS,
    START_REVIEW,
    START_MOCK,
    HELP,
    QUIT,
    SUBMIT,
    CANCEL_GRADE,
    RATE,
    CONFIRM_RATING,
    MONOSPACE,
    SELF_RATE,
    SKIP,
    BURY,
    UNDO_REVIEW,
    SEARCH,
    IMPORT,
    EDIT,
    SUSPEND,
    RETIRE,
    SAVE_EDIT,
    EXPORT,
    LOAD_MODEL,
    ADD_MODEL,
)


def bind_shortcut(
    owner: QWidget, keys: QKeySequence | str | tuple[str, ...], slot: Callable[[], None]
) -> QShortcut:
    """One shortcut for `keys` (every one of them), active while the focus is on `owner` or
    inside it."""
    shortcut = QShortcut(owner)
    if isinstance(keys, tuple):
        shortcut.setKeys([QKeySequence(key) for key in keys])
    else:
        shortcut.setKey(QKeySequence(keys))
    shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
    shortcut.activated.connect(slot)
    return shortcut
