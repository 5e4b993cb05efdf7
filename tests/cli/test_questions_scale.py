"""`python -m desktop questions` on a large bank: every question, in bank order, written as it is
read (the memory of a listing does not grow with the bank), the same JSON document as a list
printed whole, and a quiet stop when the reader goes away."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from desktop.cli import main
from desktop.cli.commands.questions import question_json
from desktop.cli.context import EXIT_BROKEN_PIPE, print_json
from desktop.core.bank.questions import QuestionKind
from desktop.core.bank.store import ALL_STATUSES, QuestionFilter
from desktop.storage.database import Database
from desktop.storage.question_bank import QuestionBank

SMALL, LARGE = 2_000, 18_000
NOW = "2025-03-01T12:00:00.000000+00:00"

# Runs the CLI, then writes its peak resident memory in kB to stderr's last line. VmHWM is the
# peak of this program alone: getrusage's ru_maxrss would start from the parent's at the exec.
MEASURED = """
import sys
from desktop.cli import main
code = main(sys.argv[1:])
with open("/proc/self/status", encoding="ascii") as status:
    peak = next(line.split()[1] for line in status if line.startswith("VmHWM:"))
print(peak, file=sys.stderr)
sys.exit(code)
"""


def _suspended(number: int) -> bool:
    return number % 10 == 0


def _retired(number: int) -> bool:
    return number % 50 == 7


def _build_bank(path: Path, decks: dict[str, int]) -> None:
    """A bank of `decks` (name: questions), rows written directly. Within a deck, bank order
    is the reverse of the ids; every 10th question is suspended and some are retired."""
    Database.open(path, backups_dir=path.parent / "backups").close()
    conn = sqlite3.connect(path)
    with conn:
        first = 1
        for deck_id, (name, count) in enumerate(decks.items(), start=1):
            conn.execute(
                "INSERT INTO decks VALUES (?, ?, ?, ?, ?, ?)",
                (deck_id, name, f"/notes/{name}.md", name, "0" * 64, NOW),
            )
            conn.execute("INSERT INTO topics VALUES (?, ?, ?)", (deck_id, deck_id, f"{name} > Q"))
            conn.executemany(
                "INSERT INTO questions (id, deck_id, topic_id, identity, kind, prompt, reference,"
                " key_points, wrong_answer, tags, source_file, source_line, source_hash, edited,"
                " status, position, created_at, updated_at) VALUES"
                " (?, ?, ?, ?, 'qa', ?, ?, ?, NULL, ?, ?, 1, ?, 0, ?, ?, ?, ?)",
                (
                    (
                        number,
                        deck_id,
                        deck_id,
                        f"qa:{number}",
                        f"Question {number} — “why”?",
                        f"Line one\n```python\nreturn {number}\n```",
                        json.dumps([f"point {number}", "second point"]),
                        json.dumps(["tag"] if number % 3 else []),
                        f"/notes/{name}.md",
                        "0" * 64,
                        "retired"
                        if _retired(number)
                        else "suspended"
                        if _suspended(number)
                        else "active",
                        first + count - number,
                        NOW,
                        NOW,
                    )
                    for number in range(first, first + count)
                ),
            )
            first += count
    conn.close()


def _listed(first: int, count: int) -> list[int]:
    """The ids a default listing shows of a deck, in bank order."""
    return [n for n in reversed(range(first, first + count)) if not _retired(n)]


@pytest.fixture(scope="module")
def large_bank(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("large") / "viva.sqlite3"
    _build_bank(path, {"Small": SMALL, "Large": LARGE})
    return path


def _measured(*args: str) -> tuple[str, int]:
    """The CLI's output and its peak memory in bytes."""
    result = subprocess.run(
        [sys.executable, "-c", MEASURED, *args],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout, int(result.stderr.splitlines()[-1]) * 1024


def test_a_large_bank_is_listed_whole_in_flat_memory(
    large_bank: Path, viva_process: list[str]
) -> None:
    del viva_process  # the app runs in a measuring child: an app start (e2e)
    if not Path("/proc/self/status").exists():
        pytest.skip("peak memory is read from /proc")
    out, small_peak = _measured("--db", str(large_bank), "questions", "--json", "--deck", "Small")
    assert [q["id"] for q in json.loads(out)] == _listed(1, SMALL)

    out, large_peak = _measured("--db", str(large_bank), "questions", "--json")
    listed = json.loads(out)
    assert [q["id"] for q in listed] == _listed(1, SMALL) + _listed(SMALL + 1, LARGE)
    assert {q["deck"] for q in listed[-LARGE // 2 :]} == {"Large"}
    assert {q["status"] for q in listed} == {"active", "suspended"}
    # Held in memory all at once, the 18,000 more questions would take over 50 MB more; read
    # and written a chunk at a time, they leave the peak almost where it was.
    assert large_peak - small_peak < 16 * 2**20, (small_peak, large_peak)


def test_the_text_listing_of_a_large_bank(large_bank: Path, viva_process: list[str]) -> None:
    result = subprocess.run(
        [*viva_process, "--db", str(large_bank), "questions", "--status", "all"],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    total = SMALL + LARGE
    assert lines[-1] == f"{total} question(s)" and len(lines) == total + 1
    assert lines[0].split()[0] == str(SMALL)  # bank order: the deck's last id comes first
    assert lines[-2].split()[0] == str(SMALL + 1)
    assert sum(line.endswith(" [retired]") for line in lines) == sum(
        map(_retired, range(1, total + 1))
    )


def test_a_reader_that_stops_early_ends_the_listing_quietly(
    large_bank: Path, viva_process: list[str]
) -> None:
    """`viva questions --json | head -1` on a bank far larger than a pipe's buffer."""
    with subprocess.Popen(
        [*viva_process, "--db", str(large_bank), "questions", "--json"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    ) as process:
        assert process.stdout is not None and process.stderr is not None
        assert process.stdout.readline() == "[\n"
        process.stdout.close()
        stderr = process.stderr.read()
        assert process.wait(timeout=120) == EXIT_BROKEN_PIPE
    assert stderr == ""


def test_the_json_is_the_document_of_the_whole_list(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, seed_notes: Path
) -> None:
    db = tmp_path / "viva.sqlite3"
    assert main(["--db", str(db), "import", str(seed_notes)]) == 0
    capsys.readouterr()
    for args, filters in (
        ([], QuestionFilter()),
        (
            ["--status", "all", "--kind", "story"],
            QuestionFilter(statuses=ALL_STATUSES, kind=QuestionKind.STORY),
        ),
        (["--deck", "no such deck"], QuestionFilter(deck="no such deck")),
    ):
        assert main(["--db", str(db), "questions", "--json", *args]) == 0
        streamed = capsys.readouterr().out
        database = Database.open(db)
        try:
            found = QuestionBank(database).questions(filters)
        finally:
            database.close()
        print_json([question_json(question) for question in found])
        assert streamed == capsys.readouterr().out
    assert streamed == "[]\n"
