"""When each rating would bring the question back, as the rating bar says it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from desktop.core.review.cards import Rating
from desktop.core.review.schedule_settings import ScheduleSettings
from desktop.core.review.scheduler import CardScheduler, new_card
from desktop.ui.practice.due_text import preview_texts

NOW = datetime(2026, 12, 8, 10, tzinfo=UTC)


def test_a_new_question_shows_four_different_intervals() -> None:
    scheduler = CardScheduler(ScheduleSettings(fuzz=False))
    texts = preview_texts(scheduler.preview(new_card(1, NOW), NOW), NOW)
    assert texts == {
        Rating.AGAIN: "in 1 min",
        Rating.HARD: "in 6 min",
        Rating.GOOD: "in 10 min",
        Rating.EASY: "in 8 d",
    }


def test_when_fsrs_gives_good_and_easy_the_same_day_the_bar_says_so() -> None:
    scheduler = CardScheduler(ScheduleSettings(fuzz=False))
    card = scheduler.review(new_card(1, NOW), Rating.AGAIN, NOW)
    card = scheduler.review(card, Rating.GOOD, card.due)  # the second learning step
    due = scheduler.preview(card, card.due)
    assert due[Rating.GOOD] == due[Rating.EASY]  # FSRS's own schedule, not a display slip
    texts = preview_texts(due, card.due)
    assert texts[Rating.GOOD] == "in 1 d"
    assert texts[Rating.EASY] == "in 1 d, as Good"


def test_different_times_that_round_alike_are_not_called_the_same() -> None:
    due = {Rating.GOOD: NOW + timedelta(hours=25), Rating.EASY: NOW + timedelta(hours=30)}
    assert preview_texts(due, NOW) == {Rating.GOOD: "in 1 d", Rating.EASY: "in 1 d"}
