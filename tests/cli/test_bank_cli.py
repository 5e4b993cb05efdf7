"""`python -m desktop import` and `questions`: summaries, JSON, and bad input (exit 2, database
exactly as before)."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import pytest

from desktop.cli import main
from desktop.core.bank.notes_markdown.key_points import MAX_LIST_DEPTH
from tests.sqlite_rows import every_row

NOTES = "# Notes\n\n## Basics\n\n**Q1**: What is a tensor?\n\n**Expected Answer**: An array.\n"


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "viva.sqlite3"


def test_import_prints_a_summary_and_json(
    capsys: pytest.CaptureFixture[str], db: Path, seed_notes: Path
) -> None:
    code, out, _ = run(capsys, "--db", str(db), "import", str(seed_notes))
    assert code == 0
    assert "Imported 1 file(s): 25 qa, 7 trap, 4 story" in out
    assert "added 36, updated 0, unchanged 0, retired 0" in out

    code, out, _ = run(capsys, "import", str(seed_notes), "--db", str(db), "--json")
    assert code == 0
    summary = json.loads(out)
    assert summary["added"] == 0 and summary["unchanged"] == 36
    assert summary["updated"] == 0 and summary["retired"] == 0
    assert summary["by_kind"] == {"qa": 25, "trap": 7, "story": 4, "concept": 0}
    assert summary["files"] == [str(seed_notes)]


def test_the_same_notes_under_another_file_name_add_nothing(
    capsys: pytest.CaptureFixture[str], db: Path, tmp_path: Path
) -> None:
    bank = sorted((Path(__file__).resolve().parents[2] / "resources" / "bank").glob("*.md"))
    code, out, _ = run(capsys, "--db", str(db), "import", *map(str, bank))
    assert code == 0 and "-> new deck Frameworks and Tools" in out
    copy = tmp_path / "learner" / "000_1cd90e0c9824386e.txt"
    copy.parent.mkdir()
    copy.write_bytes(bank[0].read_bytes())
    code, out, _ = run(capsys, "--db", str(db), "import", str(copy), "--json")
    summary = json.loads(out)
    assert code == 0 and summary["added"] == 0 and summary["unchanged"] == 36
    assert summary["decks"] == [
        {"path": str(copy), "deck": "Frameworks and Tools", "new": False, "previous_name": None}
    ]
    code, out, _ = run(capsys, "--db", str(db), "questions", "--json")
    listed = json.loads(out)
    assert len(listed) == 36 and {q["deck"] for q in listed} == {"Frameworks and Tools"}


def test_deck_names_a_deck_and_needs_one_file(
    capsys: pytest.CaptureFixture[str], db: Path, seed_notes: Path, tmp_path: Path
) -> None:
    code, out, _ = run(capsys, "--db", str(db), "import", str(seed_notes), "--deck", "ML tools")
    assert code == 0 and "-> new deck ML tools" in out
    other = tmp_path / "other.md"
    other.write_text(NOTES, encoding="utf-8")
    before = every_row(db)
    code, _, err = run(
        capsys, "--db", str(db), "import", str(seed_notes), str(other), "--deck", "X"
    )
    assert code == 2 and "--deck names the deck of one file" in err
    assert every_row(db) == before


def test_dry_run_changes_nothing(
    capsys: pytest.CaptureFixture[str], db: Path, tmp_path: Path
) -> None:
    notes = tmp_path / "notes.md"
    notes.write_text(NOTES, encoding="utf-8")
    assert run(capsys, "--db", str(db), "import", str(notes))[0] == 0
    rows = every_row(db)
    notes.write_text(NOTES.replace("An array.", "A typed array."), encoding="utf-8")
    code, out, _ = run(capsys, "--db", str(db), "import", str(notes), "--dry-run", "--json")
    assert code == 0
    summary = json.loads(out)
    assert summary["dry_run"] is True and summary["updated"] == 1
    assert every_row(db) == rows
    code, out, _ = run(capsys, "--db", str(db), "import", str(notes), "--dry-run")
    assert "Would import" in out and "Dry run: nothing was changed." in out
    assert "updated qa:Q1 (line 5): reference, key points" in out


BAD_INPUTS = {
    "binary.md": (b"\x00\x01binary\x00" * 50, None, "binary"),
    "latin1.md": ("# N\n\ncaf\xe9\n".encode("latin-1"), 3, "not UTF-8"),
    "empty.md": (b"", None, "is empty"),
    "prose.md": (b"# Notes\n\nJust prose.\n", None, "no questions"),
    "truncated.md": (NOTES.encode() + b"\n---\n\n**Q2**: Cut off here\n", 11, "Q2 has no answer"),
    "deep.md": (
        NOTES.encode() + b"".join(b"  " * depth + b"- deeper\n" for depth in range(1000)),
        8 + MAX_LIST_DEPTH,
        f"nested more than {MAX_LIST_DEPTH} levels deep",
    ),
}


@pytest.mark.parametrize("name", sorted(BAD_INPUTS))
def test_bad_input_exits_2_and_leaves_the_database_alone(
    capsys: pytest.CaptureFixture[str], db: Path, tmp_path: Path, seed_notes: Path, name: str
) -> None:
    assert run(capsys, "--db", str(db), "import", str(seed_notes))[0] == 0
    before = db.read_bytes()
    data, line, problem = BAD_INPUTS[name]
    bad = tmp_path / name
    bad.write_bytes(data)
    # The good file first: nothing of it may be written either.
    code, out, err = run(capsys, "--db", str(db), "import", str(seed_notes), str(bad))
    assert code == 2
    assert out == ""
    where = f"{bad}:{line}:" if line else f"{bad}:"
    assert f"error: {where}" in err
    assert problem in err
    assert db.read_bytes() == before


def test_a_symbolic_link_loop_exits_2(
    capsys: pytest.CaptureFixture[str], db: Path, tmp_path: Path, seed_notes: Path
) -> None:
    assert run(capsys, "--db", str(db), "import", str(seed_notes))[0] == 0
    before = db.read_bytes()
    loop = tmp_path / "loop.md"
    loop.symlink_to(loop)
    code, out, err = run(capsys, "--db", str(db), "import", str(loop))
    assert (code, out) == (2, "")
    assert f"error: {loop}: is a symbolic link that loops" in err
    assert "Traceback" not in err
    assert db.read_bytes() == before


def test_an_import_retiring_many_questions_needs_allow_retire(
    capsys: pytest.CaptureFixture[str], db: Path, tmp_path: Path, seed_notes: Path
) -> None:
    notes = tmp_path / "notes.md"
    text = seed_notes.read_text(encoding="utf-8")
    notes.write_text(text, encoding="utf-8")
    assert run(capsys, "--db", str(db), "import", str(notes))[0] == 0
    before = every_row(db)
    notes.write_text(text[: text.index("### HuggingFace Questions")], encoding="utf-8")

    code, out, err = run(capsys, "--db", str(db), "import", str(notes))
    assert (code, out) == (2, "")
    assert "would retire 31 question(s)" in err
    assert '31 of the 36 questions of the deck "Frameworks and Tools"' in err
    assert "--allow-retire" in err and "Nothing was changed" in err
    assert every_row(db) == before

    code, out, _ = run(capsys, "--db", str(db), "import", str(notes), "--dry-run")
    assert code == 0 and "It needs --allow-retire." in out
    assert every_row(db) == before

    code, out, _ = run(capsys, "--db", str(db), "import", str(notes), "--allow-retire")
    assert code == 0 and "retired 31" in out


def test_renumbered_notes_keep_their_questions(
    capsys: pytest.CaptureFixture[str], db: Path, tmp_path: Path, seed_notes: Path
) -> None:
    notes = tmp_path / "notes.md"
    text = seed_notes.read_text(encoding="utf-8")
    notes.write_text(text, encoding="utf-8")
    run(capsys, "--db", str(db), "import", str(notes))
    ids = {
        q["prompt"]: q["id"]
        for q in json.loads(run(capsys, "--db", str(db), "questions", "--json")[1])
    }
    start = text.index("**Q1**:")
    renumbered = re.sub(
        r"^\*\*Q(\d+)\*\*", lambda m: f"**Q{int(m.group(1)) + 1}**", text[start:], flags=re.M
    )
    new = "**Q1**: What is a CUDA stream?\n\n**Expected Answer**: A queue of GPU work.\n\n---\n\n"
    notes.write_text(text[:start] + new + renumbered, encoding="utf-8")
    code, out, _ = run(capsys, "--db", str(db), "import", str(notes))
    assert code == 0
    assert "added 1, updated 0, unchanged 36, retired 0" in out and "renumbered 25" in out
    assert "qa:Q2 (line 1649) renumbered from qa:Q1" in out
    listed = json.loads(run(capsys, "--db", str(db), "questions", "--json")[1])
    assert {q["prompt"]: q["id"] for q in listed if q["prompt"] in ids} == ids


def test_import_help_names_the_retire_rule(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as caught:
        main(["import", "--help"])
    assert caught.value.code == 0
    help_text = " ".join(capsys.readouterr().out.split())
    assert "--allow-retire" in help_text and "more than 3 of a deck or more than 20%" in help_text


def test_a_malformed_question_heading_is_a_warning(
    capsys: pytest.CaptureFixture[str], db: Path, tmp_path: Path
) -> None:
    notes = tmp_path / "notes.md"
    notes.write_text(NOTES + "\n*Q2**: Lost?\n\n**Expected Answer**: Found.\n", encoding="utf-8")
    code, out, _ = run(capsys, "--db", str(db), "import", str(notes))
    assert code == 0
    assert 'Warning: notes.md:9: "*Q2**: Lost?" looks like a question heading' in out


def test_a_50_mb_file_is_refused(
    capsys: pytest.CaptureFixture[str], db: Path, tmp_path: Path, seed_notes: Path
) -> None:
    huge = tmp_path / "huge.md"
    with huge.open("wb") as handle:
        handle.truncate(50 * 1024 * 1024)
    code, _, err = run(capsys, "--db", str(db), "import", str(huge))
    assert code == 2
    assert f"{huge}: is too large (50 MB" in err
    assert not db.exists()  # the database was never even opened

    run(capsys, "--db", str(db), "import", str(seed_notes))
    before = db.read_bytes()
    assert run(capsys, "--db", str(db), "import", str(huge))[0] == 2
    assert db.read_bytes() == before


def test_questions_lists_and_filters(
    capsys: pytest.CaptureFixture[str], db: Path, seed_notes: Path
) -> None:
    code, out, _ = run(capsys, "--db", str(db), "questions")
    assert code == 0 and "The bank is empty" in out
    run(capsys, "--db", str(db), "import", str(seed_notes))

    code, out, _ = run(capsys, "--db", str(db), "questions", "--json")
    listed = json.loads(out)
    assert len(listed) == 36
    first = listed[0]
    assert {"id", "kind", "topic", "prompt"} <= first.keys()
    assert first["kind"] == "qa"
    assert first["topic"] == "Interview Questions: PyTorch & HuggingFace > PyTorch Questions"
    assert first["prompt"].startswith("You're training a model and get")

    def ids(*args: str) -> list[str]:
        code, out, _ = run(capsys, "--db", str(db), "questions", "--json", *args)
        assert code == 0
        return [item["identity"] for item in json.loads(out)]

    assert ids("--kind", "trap") == [f"trap:{n}" for n in range(1, 8)]
    assert ids("--kind", "story", "--topic", "war stories") == [f"story:{n}" for n in range(1, 5)]
    assert ids("--search", "GradScaler underflow") == ["qa:Q3"]
    assert ids("--status", "retired") == []
    assert len(ids("--status", "all")) == 36

    code, out, _ = run(capsys, "--db", str(db), "questions", "--kind", "trap")
    assert code == 0
    assert "7 question(s)" in out and "trap" in out


def test_questions_rejects_an_unknown_kind(capsys: pytest.CaptureFixture[str], db: Path) -> None:
    with pytest.raises(SystemExit) as caught:
        main(["--db", str(db), "questions", "--kind", "essay"])
    assert caught.value.code == 2
    assert "invalid choice" in capsys.readouterr().err


def test_python_dash_m_desktop_import(
    tmp_path: Path, seed_notes: Path, viva_process: list[str]
) -> None:
    """The real entry point, in a child process."""
    db = tmp_path / "viva.sqlite3"
    result = subprocess.run(
        [*viva_process, "--db", str(db), "import", str(seed_notes), "--json"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["added"] == 36
    bad = tmp_path / "bad.md"
    bad.write_text("**Q1**: no answer\n", encoding="utf-8")
    result = subprocess.run(
        [*viva_process, "--db", str(db), "import", str(bad)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 2
    assert f"{bad}:1: question Q1 has no answer" in result.stderr
