"""Export to Anki from the bank screen: the questions listed (the filters apply) written as an
.apkg on the database lane."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QWidget

# Asks where to write the package, starting from the suggested file.
ChooseAnkiTarget = Callable[[QWidget, Path], Path | None]


def choose_anki_target(parent: QWidget, suggested: Path) -> Path | None:
    path, _filter = QFileDialog.getSaveFileName(
        parent,
        "Export to Anki",
        str(suggested),
        "Anki package (*.apkg)",
    )
    if not path:
        return None
    target = Path(path)
    return target if target.suffix.lower() == ".apkg" else target.with_name(f"{target.name}.apkg")
