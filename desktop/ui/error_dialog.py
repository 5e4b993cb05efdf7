"""Errors shown as a sentence a person understands, with the technical details one click away
and copyable; never a bare traceback."""

from __future__ import annotations

import traceback

from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QMessageBox, QWidget

from desktop.core.errors import VivaError
from desktop.ui.tasks import TaskFailure


def failure_from_exception(error: BaseException, doing: str) -> TaskFailure:
    """`doing` completes "Something went wrong while ..." for errors without a message."""
    if isinstance(error, VivaError):
        return TaskFailure(error.message, error.details)
    details = "".join(traceback.format_exception(error))
    return TaskFailure(f"Something went wrong while {doing}: {error}", details)


def build_error_box(parent: QWidget | None, title: str, failure: TaskFailure) -> QMessageBox:
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle(title)
    box.setText(failure.message)
    box.setObjectName("errorBox")
    if failure.details:
        box.setDetailedText(failure.details)
        copy = box.addButton("Copy details", QMessageBox.ButtonRole.ActionRole)
        # ActionRole buttons close the box by default; keep it open after copying.
        copy.clicked.disconnect()
        copy.clicked.connect(
            lambda: QGuiApplication.clipboard().setText(f"{failure.message}\n\n{failure.details}")
        )
    box.addButton(QMessageBox.StandardButton.Ok)
    return box


def show_failure(parent: QWidget | None, title: str, failure: TaskFailure) -> None:
    """A non-blocking error box (the event loop keeps running while it is open)."""
    box = build_error_box(parent, title, failure)
    box.setModal(True)
    box.open()
