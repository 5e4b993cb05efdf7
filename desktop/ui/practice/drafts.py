"""Answers being written, kept per question in the window's state file, so an answer typed
before a quit (or a cancelled grade) is there again when the question comes back."""

from __future__ import annotations

from desktop.ui.ui_state import UiState


class Drafts:
    def __init__(self, state: UiState | None) -> None:
        self._state = state
        self._memory: dict[int, str] = {}

    def load(self, question_id: int) -> str:
        if self._state is None:
            return self._memory.get(question_id, "")
        return self._state.value(f"drafts/{question_id}", "")

    def save(self, question_id: int, text: str) -> None:
        if not text.strip():
            self.clear(question_id)
            return
        self._memory[question_id] = text
        if self._state is not None:
            self._state.set_value(f"drafts/{question_id}", text)
            self._state.sync()  # a crash right after must not lose it

    def clear(self, question_id: int) -> None:
        self._memory.pop(question_id, None)
        if self._state is not None:
            self._state.remove(f"drafts/{question_id}")
