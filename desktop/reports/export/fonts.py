"""The font reports are printed in: one that embeds well and has the dashes and symbols used."""

from __future__ import annotations

from functools import cache

from PySide6.QtGui import QFontDatabase

# The first one installed is used; DejaVu Sans ships with most Linux systems.
PREFERRED_FAMILIES = ("DejaVu Sans", "Noto Sans", "Liberation Sans", "Arial", "Helvetica")


@cache
def print_font_family() -> str:
    installed = set(QFontDatabase.families())
    for family in PREFERRED_FAMILIES:
        if family in installed:
            return family
    return QFontDatabase.systemFont(QFontDatabase.SystemFont.GeneralFont).family()
