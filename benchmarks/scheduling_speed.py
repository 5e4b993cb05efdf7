"""How fast the due queue and review writes are on a large collection.

Generates (once, cached in the given folder) a database with 100,000 questions and 1,000,000
review logs: 70% of the questions have been studied in bank order, mostly in review, some in
(re)learning, with due dates spread over the past and the coming weeks, and today's reviews
already under way. Then prints the median time of:

- the due queue's first page (50 questions) the way the app asks for it (today's counts + the
  queue queries), unfiltered and with each kind of filter, with a backlog of due reviews and
  once today's reviews are done (the page then fills with new questions); each as migrated
  and with a proposed extra index, side by side;
- recording one review (review row + card update, committed).

Usage: python benchmarks/scheduling_speed.py [--folder DIR] [--runs N] [--questions N]
"""

from __future__ import annotations

import argparse
import json
import random
import sqlite3
import statistics
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from desktop.core.review.cards import Rating, ReviewStatus
from desktop.core.review.due_queue import QueueFilter, due_questions
from desktop.core.review.review_store import NewReview
from desktop.core.review.schedule_settings import ScheduleSettings
from desktop.core.review.scheduler import CardScheduler, new_card
from desktop.storage.cards import CardRepository
from desktop.storage.database import Database
from desktop.storage.reviews import ReviewRepository

NOW = datetime(2025, 3, 14, 15, 0, tzinfo=UTC)
DECKS = 20
TOPICS_PER_DECK = 20
TAGS = [f"tag{n}" for n in range(30)]
KINDS = ["qa", "qa", "qa", "concept", "trap", "story"]
ANSWER = "An answer of a few sentences. " * 6
VERDICTS = '[{"text":"point one","verdict":"covered","evidence":""}]'


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


SNAPSHOT = (
    '{"question_id":%d,"state":"%s","due":"%s","step":%s,"stability":%.4f,"difficulty":5.2,'
    '"last_review":"%s","reps":%d,"lapses":0,"buried_until":null}'
)


def _snapshot(qid: int, state: str, due: str, last: str, stability: float, reps: int) -> str:
    step = "null" if state == "review" else "0"
    return SNAPSHOT % (qid, state, due, step, stability, last, reps)


def generate(path: Path, questions: int, reviews: int, rng: random.Random) -> None:
    """Fills a freshly migrated database with raw inserts in one transaction."""
    Database.open(path).close()
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA synchronous = OFF")
    created = _iso(NOW - timedelta(days=800))
    with conn:
        conn.executemany(
            "INSERT INTO decks VALUES (?, ?, ?, ?, ?, ?)",
            [
                (d, f"deck{d}", f"/notes/deck{d}.md", f"Deck {d}", "0" * 64, created)
                for d in range(1, DECKS + 1)
            ],
        )
        conn.executemany(
            "INSERT INTO topics VALUES (?, ?, ?)",
            [
                (d * 100 + t, d, f"{d}.{t} Topic > Sub {t}")
                for d in range(1, DECKS + 1)
                for t in range(TOPICS_PER_DECK)
            ],
        )
        studied = int(questions * 0.7)  # these get cards (seen); the rest are new
        conn.executemany(
            "INSERT INTO questions VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            (
                (
                    q,
                    deck,
                    deck * 100 + rng.randrange(TOPICS_PER_DECK),
                    f"qa:Q{q}",
                    rng.choice(KINDS),
                    f"Question {q}?",
                    "Reference answer " * 8,
                    '["point one","point two","point three"]',
                    None,
                    json.dumps(rng.sample(TAGS, 2)),
                    f"/notes/deck{deck}.md",
                    q,
                    "0" * 64,
                    0,
                    "retired" if q % 97 == 0 else "active",
                    q,
                    created,
                    created,
                    q <= studied,
                )
                for q in range(1, questions + 1)
                for deck in [1 + (q - 1) * DECKS // questions]
            ),
        )
        cards = []
        for qid in range(1, studied + 1):
            roll = rng.random()
            # Few questions sit in a (re)learning step at any moment; most are in review.
            state = "learning" if roll < 0.0002 else "relearning" if roll < 0.0004 else "review"
            stability = rng.uniform(0.5, 2.0) if state != "review" else rng.lognormvariate(3, 1)
            last = NOW - timedelta(days=rng.uniform(0, min(stability * 1.3, 700)))
            due = (
                last + timedelta(minutes=rng.choice([1, 10]))
                if state != "review"
                else last + timedelta(days=max(1.0, stability))
            )
            cards.append(
                (
                    qid,
                    state,
                    None if state == "review" else 0,
                    stability,
                    5.2,
                    _iso(due),
                    _iso(last),
                    rng.randint(1, 30),
                    rng.randint(0, 3),
                    None,
                )
            )
        conn.executemany("INSERT INTO cards VALUES (?,?,?,?,?,?,?,?,?,?)", cards)
        # Bulk-loading into indexed tables is slow; drop the review indexes and build them
        # again afterwards with the migration's own DDL.
        indexes = conn.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'reviews' "
            "AND sql IS NOT NULL"
        ).fetchall()
        for name, _sql in indexes:
            conn.execute(f"DROP INDEX {name}")
        # Today's share (1 in 6,667) gives the daily counts something to count.
        days_ago = sorted(
            (
                rng.uniform(0.001, 0.4) if n % 6667 == 0 else rng.uniform(1, 720)
                for n in range(reviews)
            ),
            reverse=True,
        )
        conn.executemany(
            "INSERT INTO reviews VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            (_review_row(n + 1, ago, studied, rng) for n, ago in enumerate(days_ago)),
        )
        for _name, sql in indexes:
            conn.execute(sql)
    conn.close()  # no ANALYZE: the app never runs it, so the planner works without statistics


def _review_row(n: int, days_ago: float, studied: int, rng: random.Random) -> tuple[object, ...]:
    qid = rng.randint(1, studied)
    at = NOW - timedelta(days=days_ago)
    at_text, earlier, later = _iso(at), _iso(at - timedelta(days=3)), _iso(at + timedelta(days=7))
    # Today's logs are all reviews, so today's allowance of new questions is untouched.
    state = "review" if rng.random() < 0.8 or days_ago < 1 else "new"
    before = _snapshot(qid, state, at_text, earlier, 3.0, 2)
    after = _snapshot(qid, "review", later, at_text, 7.5, 3)
    return (
        n,
        qid,
        None,
        at_text,
        ANSWER,
        rng.randint(5_000, 90_000),
        "graded",
        round(rng.random(), 3),
        VERDICTS,
        "Feedback.",
        "",
        "[]",
        "smollm2-135m",
        "{}",
        3,
        rng.randint(1, 4),
        0,
        1,
        before,
        after,
    )


@dataclass(frozen=True)
class Timing:
    """Medians in ms: wall clock, and this process's CPU time (steadier on a shared machine;
    on an idle one with the file in the page cache the two agree)."""

    wall: float
    cpu: float

    def __str__(self) -> str:
        return f"{self.wall:.2f} ({self.cpu:.2f})"


def median_ms(action: Callable[[], object], runs: int) -> Timing:
    action()  # warm caches; the app asks for the queue many times in a session
    walls, cpus = [], []
    for _ in range(runs):
        wall, cpu = time.perf_counter(), time.process_time()
        action()
        cpus.append((time.process_time() - cpu) * 1000)
        walls.append((time.perf_counter() - wall) * 1000)
    return Timing(statistics.median(walls), statistics.median(cpus))


CASES = {
    "no filter": QueueFilter(),
    "one deck": QueueFilter(decks=("deck7",)),
    "one topic": QueueFilter(topics=("7.3 Topic",)),
    "one tag": QueueFilter(tags=("tag5",)),
    "kind trap": QueueFilter(kinds=("trap",)),
}


def measure_queue(database: Database, runs: int) -> dict[str, Timing]:
    """Median ms of the first page (50) in a backlog, and once today's reviews are done."""
    cards, reviews = CardRepository(database), ReviewRepository(database)
    backlog = ScheduleSettings(timezone="UTC", reviews_per_day=10_000, new_per_day=20)
    caught_up = backlog.with_changes(reviews_per_day=0)
    figures = {}
    for settings, situation in ((backlog, "backlog"), (caught_up, "reviews done")):
        for name, filters in CASES.items():

            def first_page(s: ScheduleSettings = settings, f: QueueFilter = filters) -> object:
                return due_questions(cards, reviews, s, NOW, filters=f)

            figures[f"{situation}, {name}"] = median_ms(first_page, runs)
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--folder", type=Path, default=Path(tempfile.gettempdir()) / "viva-bench")
    parser.add_argument("--runs", type=int, default=21)
    parser.add_argument("--questions", type=int, default=100_000)
    parser.add_argument("--reviews", type=int, default=1_000_000)
    args = parser.parse_args()
    args.folder.mkdir(parents=True, exist_ok=True)
    path = args.folder / f"bench-{args.questions}-{args.reviews}.sqlite3"
    if not path.exists():
        start = time.perf_counter()
        generate(path, args.questions, args.reviews, random.Random(7))
        print(
            f"generated {path} in {time.perf_counter() - start:.1f} s "
            f"({path.stat().st_size / 1e6:.0f} MB)"
        )
    database = Database.open(path)
    cards, reviews = CardRepository(database), ReviewRepository(database)
    backlog = ScheduleSettings(timezone="UTC", reviews_per_day=10_000)
    today = due_questions(cards, reviews, backlog, NOW, limit=100_000)
    states = Counter(entry.state.value for entry in today)
    print(f"due today: {dict(states)} (reviews limited to 10,000, new to 20)")
    figures = measure_queue(database, args.runs)
    print(f"\ndue queue, first page of 50, median of {args.runs}: wall ms (CPU ms)")
    for case, timing in figures.items():
        print(f"{case:<28}{timing!s:>18}")
    record = _record_ms(database, backlog, args.runs)
    print(f"\nrecord one review (read card, schedule, commit): {record} ms (median of {args.runs})")
    database.close()


def _record_ms(database: Database, settings: ScheduleSettings, runs: int) -> Timing:
    """Records a review of each of the next questions (then undoes them all)."""
    cards, reviews = CardRepository(database), ReviewRepository(database)
    scheduler = CardScheduler(settings)
    queue = due_questions(cards, reviews, settings, NOW, limit=runs + 1)
    pending = [entry.question_id for entry in queue]

    def record_next() -> object:
        question_id = pending.pop(0)
        before = cards.card(question_id)
        after = scheduler.review(before or new_card(question_id, NOW), Rating.GOOD, NOW)
        review = NewReview(question_id, NOW, Rating.GOOD, ReviewStatus.SELF_RATED, before, after)
        return reviews.record(review)

    timing = median_ms(record_next, runs)
    for _ in range(runs + 1):  # leave the cached collection as it was generated
        reviews.undo_last()
    return timing


if __name__ == "__main__":
    main()
