"""Time spent, said the same way on the statistics screen and in every report."""

from __future__ import annotations


def duration(milliseconds: int) -> str:
    """A span of time as people say it, rounded: 45 s, 12 min, 3 h 05 min."""
    seconds = round(milliseconds / 1000)
    if seconds < 60:
        return f"{seconds} s"
    minutes = round(seconds / 60)
    if minutes < 60:
        return f"{minutes} min"
    hours, minutes = divmod(minutes, 60)
    return f"{hours} h {minutes:02d} min"
