"""Two processes writing one database lose nothing, and a killed import leaves the old or the
new state.

- Two processes review the same question at the same moments, round after round: every review
  counts, in order (each review's `card_before` is the previous one's `card_after`), and the
  card's `reps` equals the number of reviews recorded. The same through the command line.
- `import --with-history` killed (SIGKILL) at random moments: the bank holds either nothing of
  the package or all of its questions and all of its reviews.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import random
import signal
import sqlite3
import subprocess
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from desktop.cli import main
from desktop.core.output_targets import ProtectedFiles
from desktop.core.review.cards import PastAnswer, Rating
from desktop.core.review.recording import record_history, review_question
from desktop.core.review.schedule_settings import ScheduleSettings
from desktop.core.review.scheduler import CardScheduler, snapshot_from_json
from desktop.services.anki_export import export_anki_package
from desktop.services.notes_import import import_files
from desktop.storage.cards import CardRepository
from desktop.storage.database import Database
from desktop.storage.question_bank import QuestionBank
from desktop.storage.reviews import ReviewRepository
from tests.importers.conftest import make_notes

ROUNDS = 50
T0 = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
REPO = Path(__file__).resolve().parents[2]


def _review_in_rounds(path: str, question_id: int, barrier: object, worker: int) -> None:
    database = Database.open(Path(path))
    bank = QuestionBank(database)
    cards, reviews = CardRepository(database), ReviewRepository(database)
    scheduler = CardScheduler(ScheduleSettings(timezone="UTC"))
    question = bank.get(question_id)
    for number in range(ROUNDS):
        barrier.wait()  # type: ignore[attr-defined]
        review_question(
            question=question,
            cards=cards,
            reviews=reviews,
            scheduler=scheduler,
            at=T0 + timedelta(minutes=number, seconds=worker),
            rating=Rating.GOOD,
        )
    database.close()


def _chain(path: Path, question_id: int) -> tuple[int, int, bool]:
    """(reviews recorded, the card's reps, whether each card_before is the previous after)."""
    conn = sqlite3.connect(path)
    try:
        rows = conn.execute(
            "SELECT card_before, card_after FROM reviews WHERE question_id = ? ORDER BY id",
            (question_id,),
        ).fetchall()
        (reps,) = conn.execute(
            "SELECT reps FROM cards WHERE question_id = ?", (question_id,)
        ).fetchone()
    finally:
        conn.close()
    previous = None
    chained = True
    for before, after in rows:
        seen = None if before is None else snapshot_from_json(json.loads(before))
        chained &= seen == previous
        previous = snapshot_from_json(json.loads(after))
    return len(rows), int(reps), chained


def test_two_processes_reviewing_one_question_lose_no_update(tmp_path: Path) -> None:
    path = tmp_path / "viva.sqlite3"
    database = Database.open(path)
    import_files(database, [_notes(tmp_path, 3)])
    question_id = QuestionBank(database).questions()[0].id
    database.close()
    context = multiprocessing.get_context("fork")
    barrier = context.Barrier(2)
    workers = [
        context.Process(target=_review_in_rounds, args=(str(path), question_id, barrier, n))
        for n in range(2)
    ]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=120)
        assert worker.exitcode == 0
    assert _chain(path, question_id) == (2 * ROUNDS, 2 * ROUNDS, True)


def test_two_review_commands_at_once_both_count(tmp_path: Path, viva_process: list[str]) -> None:
    path = tmp_path / "viva.sqlite3"
    assert main(["import", str(_notes(tmp_path, 3)), "--db", str(path)]) == 0
    command = [*viva_process, "review", "--question-id", "1"]
    command += ["--rating", "good", "--db", str(path)]
    pairs = 4
    for _ in range(pairs):
        both = [subprocess.Popen(command, cwd=REPO, stdout=subprocess.DEVNULL) for _ in "ab"]
        assert [p.wait(timeout=60) for p in both] == [0, 0]
    assert _chain(path, 1) == (2 * pairs, 2 * pairs, True)


def _notes(folder: Path, questions: int) -> Path:
    notes = folder / f"notes-{questions}.md"
    notes.write_text(make_notes(questions), encoding="utf-8")
    return notes


@pytest.fixture(scope="module")
def history_package(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, int, int]:
    """An Anki package written by Viva: 300 questions, three answers to each."""
    folder = tmp_path_factory.mktemp("history")
    database = Database.open(folder / "source.sqlite3")
    import_files(database, [_notes(folder, 300)])
    practice_cards, reviews = CardRepository(database), ReviewRepository(database)
    scheduler = CardScheduler(ScheduleSettings(timezone="UTC"))
    questions = QuestionBank(database).questions()
    answers = [PastAnswer(T0 + timedelta(days=d), Rating.GOOD, 1000) for d in (0, 2, 9)]
    with database.transaction():
        for question in questions:
            record_history(
                cards=practice_cards,
                reviews=reviews,
                scheduler=scheduler,
                question_id=question.id,
                answers=answers,
                source="test",
            )
    package = folder / "history.apkg"
    guard = ProtectedFiles(database.path, folder / "backups")
    export_anki_package(questions, package, protected=guard, database=database)
    database.close()
    return package, len(questions), len(questions) * len(answers)


def _counts(path: Path) -> tuple[int, int]:
    conn = sqlite3.connect(path)
    try:
        questions = conn.execute("SELECT count(*) FROM questions").fetchone()[0]
        reviews = conn.execute("SELECT count(*) FROM reviews").fetchone()[0]
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    finally:
        conn.close()
    return int(questions), int(reviews)


def test_an_import_with_history_killed_at_any_moment_is_all_or_nothing(
    tmp_path: Path, history_package: tuple[Path, int, int], viva_process: list[str]
) -> None:
    package, questions, answers = history_package
    command = [*viva_process, "import", str(package), "--with-history"]
    started = time.monotonic()
    finished = tmp_path / "finished.sqlite3"
    subprocess.run([*command, "--db", str(finished)], cwd=REPO, check=True, capture_output=True)
    duration = time.monotonic() - started
    assert _counts(finished) == (questions, answers)
    rng = random.Random(22)
    outcomes = set()
    for run in range(6):
        path = tmp_path / f"killed-{run}.sqlite3"
        assert main(["questions", "--db", str(path)]) == 0  # an empty bank: the old state
        process = subprocess.Popen(
            [*command, "--db", str(path)],
            cwd=REPO,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        time.sleep(rng.uniform(0.3, duration))
        os.kill(process.pid, signal.SIGKILL)
        process.wait(timeout=30)
        state = _counts(path)
        assert state in {(0, 0), (questions, answers)}
        outcomes.add(state)
    assert (0, 0) in outcomes  # at least one kill landed before the import ended


def test_two_imports_into_a_new_file_at_once_both_succeed(
    tmp_path: Path, viva_process: list[str]
) -> None:
    notes = _notes(tmp_path, 200)
    for run in range(3):
        path = tmp_path / f"new-{run}.sqlite3"
        command = [*viva_process, "import", str(notes), "--db", str(path)]
        both = [
            subprocess.Popen(command, cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
            for _ in "ab"
        ]
        outputs = [p.communicate(timeout=120) for p in both]
        assert [p.returncode for p in both] == [0, 0], outputs
        assert _counts(path) == (200, 0)
