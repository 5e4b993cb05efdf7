"""What Qt painting needs before it starts: an application object.

Inside the app there is an application already (the widgets' QApplication). On the command line
there is none, so the first export creates a windowless QGuiApplication on the "offscreen"
platform, which needs no display and works on a headless machine.
"""

from __future__ import annotations

import threading

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QGuiApplication

from desktop import APP_NAME
from desktop.core.reports.service import ReportExportError

_application: QGuiApplication | None = None


def ensure_gui_application() -> None:
    global _application
    existing = QCoreApplication.instance()
    if isinstance(existing, QGuiApplication):
        return
    if existing is not None:
        raise ReportExportError(
            "Cannot draw the report: a non-graphical Qt application is already running."
        )
    if threading.current_thread() is not threading.main_thread():
        raise ReportExportError(
            "Cannot draw the report: start the export on the main thread the first time."
        )
    _application = QGuiApplication([APP_NAME, "-platform", "offscreen"])
