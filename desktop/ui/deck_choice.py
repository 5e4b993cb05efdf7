"""The deck chooser of Home and Practice: "All decks", then each deck by name (its data is the
deck's name, or None for every deck)."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox

ALL_DECKS = "All decks"


def fill_deck_choice(choice: QComboBox, decks: list[str]) -> None:
    """Puts `decks` after "All decks", keeping the current choice when it is still a deck."""
    # Long deck names show whole in the menu; the closed box stays a modest width.
    choice.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
    choice.setMinimumContentsLength(12)
    current = choice.currentData()
    choice.blockSignals(True)
    choice.clear()
    choice.addItem(ALL_DECKS, None)
    for deck in decks:
        choice.addItem(deck, deck)
    index = choice.findData(current) if current is not None else 0
    choice.setCurrentIndex(max(0, index))
    choice.blockSignals(False)
