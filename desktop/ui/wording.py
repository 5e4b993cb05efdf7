"""Counts said the way a person says them: "1 answer", "3 answers", never "answer(s)"."""

from __future__ import annotations


def count_of(number: int, noun: str, plural: str | None = None) -> str:
    """`number` and `noun`, plural unless the number is one ("1 question", "2 questions")."""
    return f"{number} {noun if number == 1 else plural or noun + 's'}"
