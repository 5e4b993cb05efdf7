"""Again / Hard / Good / Easy: the suggested rating is marked and one key (1-4) confirms or
overrides it. Each button shows when the question would come back."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from desktop.core.review.cards import Rating


class RatingBar(QWidget):
    rating_chosen = Signal(object)  # Rating

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.suggestion_label = QLabel()
        self.suggestion_label.setObjectName("ratingSuggestion")
        self.suggestion_label.setWordWrap(True)
        self.buttons: dict[Rating, QPushButton] = {}
        row = QHBoxLayout()
        for rating in Rating:
            button = QPushButton(f"{int(rating)}  {rating.label.capitalize()}")
            button.setObjectName(f"rate{rating.label.capitalize()}")
            button.setProperty("rating", rating.label)
            button.setMinimumHeight(44)
            button.clicked.connect(lambda _=False, chosen=rating: self.rating_chosen.emit(chosen))
            self.buttons[rating] = button
            row.addWidget(button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.suggestion_label)
        layout.addLayout(row)
        self.suggested: Rating | None = None

    def set_suggestion(
        self, suggested: Rating | None, reason: str, previews: dict[Rating, str] | None = None
    ) -> None:
        self.suggested = suggested
        if suggested is None:
            self.suggestion_label.setText(f"{reason} Press 1-4.")
        else:
            self.suggestion_label.setText(
                f"Suggested: {suggested.label.capitalize()} — {reason} "
                "Enter accepts it; 1-4 chooses another."
            )
        for rating, button in self.buttons.items():
            when = (previews or {}).get(rating, "")
            title = f"{int(rating)}  {rating.label.capitalize()}"
            button.setText(f"{title}\n{when}" if when else title)
            button.setProperty("suggested", rating is suggested)
            button.style().polish(button)
        # The focus stays in the screen (the answer editor just went away), so 1-4 work at once.
        self.take_focus()

    def take_focus(self) -> None:
        """Focuses the suggested rating (or the bar), so 1-4 and Enter reach it."""
        if self.suggested is not None:
            self.buttons[self.suggested].setFocus()
        else:
            self.setFocus()

    def set_busy(self, busy: bool) -> None:
        for button in self.buttons.values():
            button.setEnabled(not busy)
