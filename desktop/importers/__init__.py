"""Readers of interview notes (Markdown and other formats) into `core` dataclasses.

`parse_notes_file(path)` is the entry point: it refuses what it cannot import (too large,
binary, not UTF-8, empty, no questions, a truncated block) with a `NotesFormatError` that names
the file and, where it applies, the line.
"""

from desktop.core.bank.notes_markdown.key_points import extract_key_points
from desktop.importers.notes import parse_notes_file, parse_notes_text
from desktop.importers.reading import MAX_NOTES_BYTES

__all__ = ["MAX_NOTES_BYTES", "extract_key_points", "parse_notes_file", "parse_notes_text"]
