"""Anki packages (.apkg, .colpkg) read as interview notes: one `ParsedNotes` per Anki deck."""

from desktop.importers.anki.notes import (
    ANKI_SUFFIXES,
    anki_package_of,
    parse_anki_package,
    read_anki_history,
)

__all__ = ["ANKI_SUFFIXES", "anki_package_of", "parse_anki_package", "read_anki_history"]
