"""A process killed (SIGKILL) at random points while recording reviews loses none it reported.

A forked child records reviews in a loop and writes each review's id to a pipe only after
`record` returned; the parent kills it after a random delay, 100 times over. Afterwards every
reported review is in the database, `PRAGMA integrity_check` is ok, each question's reviews form
an unbroken chain (each `card_before` is the previous `card_after`), and every card is its last
review's `card_after`. Forking (not spawning) keeps each run to milliseconds of start-up.
"""

from __future__ import annotations

import itertools
import json
import os
import random
import signal
import sqlite3
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from desktop.core.review.cards import CardSnapshot, Rating, ReviewStatus
from desktop.core.review.review_store import NewReview
from desktop.core.review.schedule_settings import ScheduleSettings
from desktop.core.review.scheduler import CardScheduler, new_card, snapshot_from_json
from desktop.storage.cards import CardRepository
from desktop.storage.database import Database
from desktop.storage.reviews import ReviewRepository

RUNS = 100
T0 = datetime(2025, 3, 14, 9, 0, tzinfo=UTC)


def _record_reviews(
    database: Database, question_ids: list[int], seed: int, report: int | None
) -> None:
    """Records reviews, reporting each id once it is recorded: forever, or once without a
    `report` pipe (the parent warms the engine's statement cache so each child starts fast)."""
    cards, reviews = CardRepository(database), ReviewRepository(database)
    scheduler = CardScheduler(ScheduleSettings(timezone="UTC"))
    rng = random.Random(seed)
    at = T0 + timedelta(days=seed)
    while True:
        question_id = rng.choice(question_ids)
        at += timedelta(minutes=rng.randint(1, 600))
        before = cards.card(question_id)
        rating = Rating(rng.randint(1, 4))
        after = scheduler.review(before or new_card(question_id, at), rating, at)
        review = NewReview(
            question_id, at, rating, ReviewStatus.SELF_RATED, before, after, answer_text="x" * 200
        )
        stored = reviews.record(review)
        if report is None:
            return
        os.write(report, f"{stored.id}\n".encode())


def _run_once(database: Database, question_ids: list[int], seed: int, delay_s: float) -> list[int]:
    # The engine's pool is empty here, so the child opens its own connections: SQLite
    # connections must never cross a fork, but an engine without any may.
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child never returns into pytest
        os.close(read_end)
        try:
            _record_reviews(database, question_ids, seed, write_end)
        finally:
            os._exit(1)
    os.close(write_end)
    time.sleep(delay_s)
    os.kill(pid, signal.SIGKILL)
    _, status = os.waitpid(pid, 0)
    assert os.WIFSIGNALED(status), "the child stopped before it was killed"
    reported = b""
    while chunk := os.read(read_end, 65536):
        reported += chunk
    os.close(read_end)
    return [int(line) for line in reported.decode().split()]


def _check_consistent(path: Path, reported: set[int]) -> None:
    conn = sqlite3.connect(path)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        stored = {row[0] for row in conn.execute("SELECT id FROM reviews")}
        assert reported <= stored, f"lost reviews: {sorted(reported - stored)[:10]}"
        chains: dict[int, list[tuple[str | None, str]]] = {}
        for question_id, before, after in conn.execute(
            "SELECT question_id, card_before, card_after FROM reviews ORDER BY id"
        ):
            chains.setdefault(question_id, []).append((before, after))
        cards = {row[0]: row for row in conn.execute("SELECT * FROM cards")}
    finally:
        conn.close()
    assert set(cards) == set(chains)
    database = Database.open(path)
    try:
        repository = CardRepository(database)
        for question_id, chain in chains.items():
            assert chain[0][0] is None
            for (_, previous_after), (before, _) in itertools.pairwise(chain):
                assert before is not None
                assert snapshot_from_json_text(before) == snapshot_from_json_text(previous_after)
            assert repository.card(question_id) == snapshot_from_json_text(chain[-1][1])
    finally:
        database.close()


def snapshot_from_json_text(text: str) -> CardSnapshot:
    return snapshot_from_json(json.loads(text))


@pytest.mark.timeout(180)
def test_killed_writers_lose_no_reported_review(
    tmp_path: Path, add_questions: Callable[..., list[int]], database: Database
) -> None:
    question_ids = add_questions(30)
    _record_reviews(database, question_ids, -1, None)
    database.close()  # no connection stays open across the forks
    rng = random.Random(2025)
    reported: set[int] = set()
    interrupted = 0
    for run in range(RUNS):
        recorded = _run_once(database, question_ids, run, rng.uniform(0.02, 0.3))
        reported.update(recorded)
        interrupted += bool(recorded)
    assert interrupted >= RUNS // 2  # most kills landed while reviews were being recorded
    _check_consistent(database.path, reported)
