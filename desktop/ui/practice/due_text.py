"""When a question would come back, said the way a person says it ("in 10 min", "in 4 d")."""

from __future__ import annotations

from datetime import datetime

from desktop.core.review.cards import Rating


def until_text(due: datetime, now: datetime) -> str:
    seconds = max(0.0, (due - now).total_seconds())
    if seconds < 60:
        return "now"
    if seconds < 3600:
        return f"in {round(seconds / 60)} min"
    if seconds < 20 * 3600:
        return f"in {round(seconds / 3600)} h"
    days = seconds / 86400
    if days < 60:
        return f"in {max(1, round(days))} d"
    if days < 730:
        return f"in {round(days / 30)} mo"
    return f"in {days / 365:.1f} y"


def preview_texts(next_due: dict[Rating, datetime], now: datetime) -> dict[Rating, str]:
    """Each rating's "in …"; a rating that FSRS schedules exactly as the one below it (Good and
    Easy both a day away while a memory is new) says so rather than look like a mistake."""
    texts: dict[Rating, str] = {}
    below: tuple[Rating, datetime] | None = None
    for rating, due in sorted(next_due.items()):
        text = until_text(due, now)
        if below is not None and abs((due - below[1]).total_seconds()) < 60:
            text = f"{text}, as {below[0].name.title()}"
        texts[rating] = text
        below = (rating, due)
    return texts
