"""How long a progress report takes for a year of daily practice, per export format.

Generates a database with 300 questions in 40 topics and a year of daily reviews (about 55 a
day, 20,000 in all; graded by two models, some ungraded, self-rated or overridden; a mock
interview every week). Then prints the median time of several runs of:

- reading the history and computing the report (`build_report`),
- each export (PDF, HTML, CSV, JSON), written to a temporary folder,

with each file's size and the PDF's page count.

Wall-clock and CPU time are both printed: on a shared machine the CPU time is the steadier.

Usage: python benchmarks/report_export.py [--runs N] [--reviews-per-day N] [--keep DIR]
"""

from __future__ import annotations

import argparse
import os
import random
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from functools import partial
from pathlib import Path
from typing import Any

from pypdf import PdfReader
from sqlalchemy import insert
from timing import median_seconds  # benchmarks/timing.py: scripts run from this folder

from desktop.core.reports.report import ProgressReport, ReportRequest
from desktop.core.reports.service import ReportFormat
from desktop.core.review.schedule_settings import ScheduleSettings
from desktop.reports.export.qt_runtime import ensure_gui_application
from desktop.reports.service import ReportService
from desktop.storage.database import Database
from desktop.storage.history import HistoryRepository
from desktop.storage.schema import (
    CardRow,
    DeckRow,
    PracticeSessionRow,
    QuestionRow,
    ReviewRow,
    TopicRow,
)

NOW = datetime(2025, 12, 31, 20, 0, tzinfo=UTC)
FIRST_DAY = date(2025, 1, 1)
DAYS = 365
QUESTIONS = 300
TOPICS = 40
MODELS = ("SmolLM2-135M-Instruct", "qwen2.5-1.5b-instruct-q4_k_m")
KEY_POINTS = [f"key point {n}: what the reference answer says about it" for n in range(6)]


def _prompt(number: int) -> str:
    return f"Question {number}: explain how this works and when you would use it. " * (
        1 + number % 3
    )


def generate(database: Database, reviews_per_day: int, seed: int = 7) -> int:
    """Writes the synthetic year; returns the number of reviews written."""
    rng = random.Random(seed)
    with database.session() as session:
        decks = [
            DeckRow(
                name=f"deck-{n}",
                source_path=f"/notes/{n}.md",
                title=f"Deck {n}",
                content_hash="0" * 64,
                imported_at=NOW - timedelta(days=400),
            )
            for n in range(3)
        ]
        session.add_all(decks)
        session.flush()
        topics = [
            TopicRow(deck_id=decks[n % 3].id, path=f"13.{n} Section {n} > Subtopic about {n}")
            for n in range(TOPICS)
        ]
        session.add_all(topics)
        session.flush()
        session.execute(
            insert(QuestionRow),
            [
                {
                    "id": q,
                    "deck_id": topics[q % TOPICS].deck_id,
                    "topic_id": topics[q % TOPICS].id,
                    "identity": f"qa:Q{q}",
                    "kind": "qa",
                    "prompt": _prompt(q),
                    "reference": "...",
                    "key_points": KEY_POINTS[:3],
                    "tags": [],
                    "source_file": "notes.md",
                    "source_line": q,
                    "source_hash": "0" * 64,
                    "status": "active" if q % 50 else "suspended",
                    "position": q,
                    "created_at": NOW - timedelta(days=400),
                    "updated_at": NOW - timedelta(days=400),
                }
                for q in range(1, QUESTIONS + 1)
            ],
        )
        session.execute(
            insert(CardRow),
            [
                {
                    "question_id": q,
                    "state": "review" if q % 7 else "relearning",
                    "stability": rng.uniform(1, 120),
                    "difficulty": rng.uniform(2, 9),
                    "due": NOW + timedelta(days=rng.uniform(-3, 60)),
                    "last_review": NOW - timedelta(days=rng.uniform(0, 30)),
                    "reps": rng.randint(5, 80),
                    "lapses": rng.randint(0, 6),
                }
                for q in range(1, QUESTIONS - 20)  # the last twenty were never seen
            ],
        )
        reviews: list[dict[str, Any]] = []
        for day in range(DAYS):
            start = datetime.combine(FIRST_DAY + timedelta(days=day), datetime.min.time(), UTC)
            session_id = None
            if day % 7 == 6:
                mock = PracticeSessionRow(
                    kind="mock",
                    started_at=start + timedelta(hours=18),
                    finished_at=start + timedelta(hours=18, minutes=25),
                    config={},
                    counts_toward_schedule=False,
                )
                session.add(mock)
                session.flush()
                session_id = mock.id
            skill = 0.35 + 0.45 * day / DAYS  # the learner improves over the year
            for n in range(reviews_per_day):
                reviews.append(_review(rng, start, n, skill, session_id if n < 5 else None))
        session.execute(insert(ReviewRow), reviews)
    return len(reviews)


def _review(
    rng: random.Random, day_start: datetime, n: int, skill: float, session_id: int | None
) -> dict[str, Any]:
    roll = rng.random()
    status = "graded" if roll < 0.92 else ("ungraded" if roll < 0.95 else "self-rated")
    score = min(1.0, max(0.0, rng.gauss(skill, 0.2))) if status == "graded" else None
    suggested = None if score is None else 1 + min(3, int(score * 4))
    overridden = suggested is not None and rng.random() < 0.08
    rating = suggested or rng.randint(1, 4)
    if overridden and suggested is not None:
        rating = max(1, min(4, suggested + rng.choice((-1, 1))))
    verdicts = [
        {"text": text, "verdict": rng.choice(("covered", "covered", "partial", "missing"))}
        for text in rng.sample(KEY_POINTS, 3)
    ]
    return {
        "question_id": rng.randint(1, QUESTIONS - 21),
        "session_id": session_id,
        "reviewed_at": day_start + timedelta(hours=7, seconds=n * 97),
        "answer_text": "An answer of a few sentences.",
        "duration_ms": rng.randint(20_000, 240_000),
        "grade_status": status,
        "score": score,
        "key_point_verdicts": verdicts if score is not None else [],
        "model": rng.choice(MODELS) if status != "self-rated" else "",
        "grader_settings": {},
        "suggested_rating": suggested,
        "rating": rating,
        "overridden": overridden,
        "flags": [],
    }


def _ms(seconds: tuple[float, float]) -> str:
    return f"median {seconds[0] * 1000:.0f} ms wall, {seconds[1] * 1000:.0f} ms CPU"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--reviews-per-day", type=int, default=55)
    parser.add_argument("--keep", type=Path, help="also write one export of each format here")
    args = parser.parse_args()
    ensure_gui_application()
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        database = Database.open(folder / "year.sqlite3")
        started = time.perf_counter()
        count = generate(database, args.reviews_per_day)
        print(f"generated {count:,} reviews in {time.perf_counter() - started:.1f} s")
        service = ReportService(
            HistoryRepository(database),
            ScheduleSettings(timezone="UTC", day_starts_at_hour=4),
            clock=lambda: NOW,
        )
        report: ProgressReport = service.build_report(ReportRequest())
        build = median_seconds(lambda: service.build_report(ReportRequest()), args.runs)
        days = len(report.activity.days)
        print(f"reviews in the report: {report.activity.reviews:,} over {days} days")
        print(f"build_report (read + compute): {_ms(build)} ({args.runs} runs)")
        for report_format in ReportFormat:
            name = "report-csv" if report_format.writes_folder else f"report.{report_format.value}"
            out = folder / "out" / name
            seconds = median_seconds(
                partial(service.export_report, report, report_format, out), args.runs
            )
            written = service.export_report(report, report_format, out)
            size = sum(os.path.getsize(p) for p in written)
            extra = ""
            if report_format is ReportFormat.PDF:
                extra = f", {len(PdfReader(written[0]).pages)} pages"
            print(f"export {report_format.value:4}: {_ms(seconds)} ({size / 1024:.0f} KiB{extra})")
            if args.keep:
                service.export_report(report, report_format, args.keep / out.name)
        database.close()


if __name__ == "__main__":
    main()
