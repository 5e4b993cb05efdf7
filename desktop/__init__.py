"""Viva: offline interview practice with spaced repetition and local LLM grading."""

from __future__ import annotations

__version__ = "0.1.0"
APP_NAME = "Viva"
APP_ID = "viva"
