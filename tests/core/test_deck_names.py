"""A deck is named from its notes' title as a person would say it."""

from __future__ import annotations

import pytest

from desktop.core.bank.decks import deck_name_for, title_subject


@pytest.mark.parametrize(
    ("title", "name"),
    [
        ("Section 13: Frameworks and Tools - Complete Interview Notes", "Frameworks and Tools"),
        ("Chapter 2 - Transformers", "Transformers"),
        ("13. Systems Design", "Systems Design"),
        ("ML System Design: Interview Cheat Sheet", "ML System Design"),
        ("Deep Learning: Optimizers", "Deep Learning: Optimizers"),
        ("Kubernetes | Q&A", "Kubernetes"),
        ("**Python** internals", "Python internals"),
    ],
)
def test_a_title_names_the_deck(title: str, name: str) -> None:
    assert deck_name_for(title, "file-name") == name


def test_a_title_that_only_says_notes_falls_back_to_the_file_name() -> None:
    assert title_subject("Complete Interview Notes") == ""
    assert deck_name_for("Interview Notes", "ml-notes") == "ml-notes"
    assert deck_name_for("", "") == "Notes"


def test_a_long_title_is_cut_at_a_word() -> None:
    name = deck_name_for("Distributed training " * 10, "x")
    assert len(name) <= 61 and name.endswith("…") and " " in name
