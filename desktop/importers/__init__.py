"""Readers of interview notes (Markdown and other formats) into `core` dataclasses.

`parse_notes_file(path)` is the entry point: it refuses what it cannot import (too large,
binary, not UTF-8, empty, no questions, a truncated block, a list nested too deep, a symbolic
link that loops) with a `NotesFormatError` that names the file and, where it applies, the line;
what it can read but looks wrong (a malformed question heading) is in `ParsedNotes.warnings`.
"""

from desktop.core.bank.notes_markdown.key_points import extract_key_points
from desktop.importers.notes import parse_notes_file, parse_notes_text
from desktop.importers.reading import MAX_NOTES_BYTES, resolve_notes_path

__all__ = [
    "MAX_NOTES_BYTES",
    "extract_key_points",
    "parse_notes_file",
    "parse_notes_text",
    "resolve_notes_path",
]
