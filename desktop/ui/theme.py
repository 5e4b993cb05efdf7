"""Light and dark appearance: a Fusion palette plus the stylesheet from resources/styles.

"System" follows the desktop's colour scheme where Qt can read it, and light otherwise.
"""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication


class Appearance(StrEnum):
    LIGHT = "light"
    DARK = "dark"
    SYSTEM = "system"

    @classmethod
    def parse(cls, text: object) -> Appearance:
        try:
            return cls(str(text))
        except ValueError:
            return cls.SYSTEM


_DARK_ROLES = {
    QPalette.ColorRole.Window: "#202225",
    QPalette.ColorRole.WindowText: "#e6e6e6",
    QPalette.ColorRole.Base: "#17181a",
    QPalette.ColorRole.AlternateBase: "#26282b",
    QPalette.ColorRole.ToolTipBase: "#2b2d31",
    QPalette.ColorRole.ToolTipText: "#e6e6e6",
    QPalette.ColorRole.PlaceholderText: "#8a8f98",
    QPalette.ColorRole.Text: "#e6e6e6",
    QPalette.ColorRole.Button: "#2b2d31",
    QPalette.ColorRole.ButtonText: "#e6e6e6",
    QPalette.ColorRole.BrightText: "#ff6b6b",
    QPalette.ColorRole.Link: "#6cb6ff",
    QPalette.ColorRole.Highlight: "#3d6fb4",
    QPalette.ColorRole.HighlightedText: "#ffffff",
    QPalette.ColorRole.Mid: "#3a3d42",
    QPalette.ColorRole.Dark: "#141517",
    QPalette.ColorRole.Light: "#3a3d42",
}
_LIGHT_ROLES = {
    QPalette.ColorRole.Window: "#f3f4f6",
    QPalette.ColorRole.WindowText: "#1f2328",
    QPalette.ColorRole.Base: "#ffffff",
    QPalette.ColorRole.AlternateBase: "#f6f8fa",
    QPalette.ColorRole.ToolTipBase: "#ffffff",
    QPalette.ColorRole.ToolTipText: "#1f2328",
    QPalette.ColorRole.PlaceholderText: "#6e7781",
    QPalette.ColorRole.Text: "#1f2328",
    QPalette.ColorRole.Button: "#ffffff",
    QPalette.ColorRole.ButtonText: "#1f2328",
    QPalette.ColorRole.BrightText: "#cf222e",
    QPalette.ColorRole.Link: "#0969da",
    QPalette.ColorRole.Highlight: "#2f6fd0",
    QPalette.ColorRole.HighlightedText: "#ffffff",
    QPalette.ColorRole.Mid: "#d0d7de",
    QPalette.ColorRole.Dark: "#8c959f",
    QPalette.ColorRole.Light: "#ffffff",
}
_DISABLED_TEXT = {Appearance.DARK: "#6b6f76", Appearance.LIGHT: "#8c959f"}


def _palette(scheme: Appearance) -> QPalette:
    """The Fusion palette of `scheme` (LIGHT or DARK), with greyed text for disabled widgets."""
    palette = QPalette()
    roles = _DARK_ROLES if scheme is Appearance.DARK else _LIGHT_ROLES
    for role, colour in roles.items():
        palette.setColor(role, QColor(colour))
    disabled = QColor(_DISABLED_TEXT[scheme])
    for role in (
        QPalette.ColorRole.WindowText,
        QPalette.ColorRole.Text,
        QPalette.ColorRole.ButtonText,
    ):
        palette.setColor(QPalette.ColorGroup.Disabled, role, disabled)
    return palette


def resolved_scheme(appearance: Appearance) -> Appearance:
    """LIGHT or DARK: what `appearance` means on this desktop right now."""
    if appearance is not Appearance.SYSTEM:
        return appearance
    hints = QGuiApplication.styleHints()
    if hints.colorScheme() == Qt.ColorScheme.Dark:
        return Appearance.DARK
    return Appearance.LIGHT


def apply_theme(app: QApplication, appearance: Appearance, styles_dir: Path) -> Appearance:
    """Applies the palette and stylesheet; returns the scheme actually shown (light or dark)."""
    scheme = resolved_scheme(appearance)
    app.setStyle("Fusion")
    app.setPalette(_palette(scheme))
    sheet = styles_dir / f"{scheme.value}.qss"
    # A missing stylesheet only costs looks; the palette alone keeps the app readable.
    text = sheet.read_text(encoding="utf-8") if sheet.is_file() else ""
    icons = (styles_dir.parent / "icons").as_posix()
    app.setStyleSheet(text.replace("@ICONS@", icons))
    app.setProperty("viva_scheme", scheme.value)
    return scheme
