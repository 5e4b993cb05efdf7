"""Anki packages (.apkg, .colpkg): read as interview notes, and the bank written as one."""

from desktop.importers.anki.notes import parse_anki_package

__all__ = ["parse_anki_package"]
