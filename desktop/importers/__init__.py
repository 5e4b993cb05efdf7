"""Readers of interview notes (Markdown and other formats) into `core` dataclasses."""
