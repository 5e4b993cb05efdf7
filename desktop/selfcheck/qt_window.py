"""Qt can start and show a window: the platform plugin, fonts and the SVG icon engine load.

Without a display (no DISPLAY or WAYLAND_DISPLAY on Linux) the check uses Qt's offscreen
platform, which exercises everything but the windowing system.
"""

from __future__ import annotations

import os
import sys

from PySide6.QtCore import QCoreApplication, QDeadlineTimer, QEventLoop, QPoint, QRect, QSize, Qt
from PySide6.QtGui import (
    QColor,
    QFontDatabase,
    QGuiApplication,
    QIcon,
    QPainter,
    QPaintEvent,
    QRasterWindow,
)

from desktop import APP_NAME
from desktop.paths import resources_dir
from desktop.selfcheck.outcome import CheckFailed

APP_ICON = "viva.svg"
EXPOSE_TIMEOUT_MS = 5000


def has_display() -> bool:
    if not sys.platform.startswith("linux"):
        return True  # Windows and macOS always have their own platform plugin's screen
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def gui_application() -> QGuiApplication:
    """The process's Qt application, started (offscreen without a display) if there is none."""
    existing = QCoreApplication.instance()
    if existing is not None:
        if not isinstance(existing, QGuiApplication):
            raise CheckFailed("a non-GUI Qt application is already running in this process")
        return existing
    if not has_display():
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    return QGuiApplication([APP_NAME])


class _ProbeWindow(QRasterWindow):
    """A window that paints itself once, so showing it exercises the whole drawing path."""

    painted = False

    def paintEvent(self, event: QPaintEvent) -> None:
        area = QRect(QPoint(0, 0), self.size())
        painter = QPainter(self)
        try:
            painter.fillRect(area, QColor("#2f6fd0"))
            painter.drawText(area, Qt.AlignmentFlag.AlignCenter, APP_NAME)
        finally:
            painter.end()
        self.painted = True


def check_window() -> str:
    app = gui_application()
    window = _ProbeWindow()
    window.setTitle(f"{APP_NAME} selfcheck")
    window.resize(QSize(320, 200))
    window.show()
    deadline = QDeadlineTimer(EXPOSE_TIMEOUT_MS)
    while not (window.isExposed() and window.painted) and not deadline.hasExpired():
        app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)
    exposed, painted = window.isExposed(), window.painted
    window.close()
    window.deleteLater()
    platform = QGuiApplication.platformName()
    if not exposed:
        raise CheckFailed(f"a window was shown on the {platform!r} platform but never appeared")
    if not painted:
        raise CheckFailed(f"a window appeared on the {platform!r} platform but was never painted")
    icon_file = resources_dir() / "icons" / APP_ICON
    if QIcon(str(icon_file)).pixmap(QSize(64, 64)).isNull():
        raise CheckFailed(
            f"the app icon {icon_file} cannot be drawn (missing file or SVG icon engine plugin)"
        )
    families = len(QFontDatabase.families())
    if families == 0:
        raise CheckFailed("Qt finds no fonts: text would not show (install a font package)")
    return f"a window was shown and painted on the {platform} platform; {families} font families"
