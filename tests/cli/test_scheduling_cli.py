"""`due`, `review`, `undo` and `optimize-schedule` as a person or a script runs them."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from desktop.cli import main
from desktop.core.bank.questions import QuestionStatus
from desktop.core.grading.grades import STORED_ANSWER_CHARS
from desktop.storage.database import Database
from desktop.storage.question_bank import QuestionBank
from desktop.storage.reviews import ReviewRepository

AddQuestions = Callable[..., list[int]]
AT = "2025-03-14T09:00:00Z"


def run(capsys: pytest.CaptureFixture[str], database: Database, *args: str) -> tuple[int, Any]:
    code = main([*args, "--db", str(database.path)])
    out = capsys.readouterr().out
    return code, json.loads(out) if "--json" in args and out.strip() else out


def when(text: str) -> datetime:
    return datetime.fromisoformat(text)


def test_due_lists_the_queue(
    capsys: pytest.CaptureFixture[str], database: Database, add_questions: AddQuestions
) -> None:
    q = add_questions(3)
    code, rows = run(capsys, database, "due", "--at", AT, "--json")
    assert code == 0
    assert [row["question_id"] for row in rows] == q
    assert {row["state"] for row in rows} == {"new"}
    assert when(rows[0]["due"]) == when(AT)
    code, text = run(capsys, database, "due", "--at", AT, "--limit", "1")
    assert code == 0 and "deck question 1?" in text and "question 2" not in text


def test_rate_then_undo(
    capsys: pytest.CaptureFixture[str], database: Database, add_questions: AddQuestions
) -> None:
    q = add_questions(2)
    code, result = run(
        capsys, database, "review", "--question-id", str(q[0]), "--rating", "good", "--at", AT,
        "--json",
    )  # fmt: skip
    assert code == 0
    assert result["question_id"] == q[0]
    assert (result["status"], result["score"], result["rating"]) == ("self-rated", None, "good")
    assert result["state"] == "learning"
    assert when(result["due"]) == when(AT) + timedelta(minutes=10)
    assert when(result["due"]).utcoffset() == timedelta(0)

    later = "2025-03-14T09:10:00+00:00"
    code, rows = run(capsys, database, "due", "--at", later, "--json")
    assert [(row["question_id"], row["state"]) for row in rows] == [
        (q[0], "learning"),
        (q[1], "new"),
    ]

    code, undone = run(capsys, database, "undo", "--json")
    assert code == 0
    assert undone["question_id"] == q[0] and undone["state"] == "new"
    assert ReviewRepository(database).last_review() is None
    code, nothing = run(capsys, database, "undo", "--json")
    assert code == 1 and nothing["undone"] is False


def test_undo_restores_the_previous_due(
    capsys: pytest.CaptureFixture[str], database: Database, add_questions: AddQuestions
) -> None:
    (question,) = add_questions(1)
    _, first = run(
        capsys, database, "review", "--question-id", str(question), "--rating", "good", "--at",
        AT, "--json",
    )  # fmt: skip
    run(
        capsys, database, "review", "--question-id", str(question), "--rating", "again", "--at",
        first["due"], "--json",
    )  # fmt: skip
    code, undone = run(capsys, database, "undo", "--json")
    assert code == 0
    assert (undone["question_id"], undone["state"]) == (question, "learning")
    assert when(undone["due"]) == when(first["due"])


def test_grading_an_answer_with_evidence_only(
    capsys: pytest.CaptureFixture[str],
    database: Database,
    add_questions: AddQuestions,
    tmp_path: Path,
) -> None:
    (question,) = add_questions(1)
    answer = tmp_path / "answer.txt"
    answer.write_text("Point one of 1 and point two of 1, both explained.", encoding="utf-8")
    code, result = run(
        capsys, database, "review", "--question-id", str(question), "--answer-file", str(answer),
        "--model", "none", "--at", AT, "--json",
    )  # fmt: skip
    assert code == 0
    assert result["status"] == "graded"
    assert 0.0 <= result["score"] <= 1.0
    assert result["rating"] in ("again", "hard", "good", "easy")
    assert result["rating"] == result["suggested_rating"] and not result["overridden"]
    stored = ReviewRepository(database).last_review()
    assert stored is not None
    assert stored.review.answer_text == answer.read_text(encoding="utf-8")
    assert stored.review.score == result["score"]
    assert when(result["due"]) > when(AT)


def test_an_override_with_an_answer(
    capsys: pytest.CaptureFixture[str],
    database: Database,
    add_questions: AddQuestions,
    tmp_path: Path,
) -> None:
    (question,) = add_questions(1)
    answer = tmp_path / "answer.txt"
    answer.write_text("I do not remember.", encoding="utf-8")
    code, result = run(
        capsys, database, "review", "--question-id", str(question), "--answer-file", str(answer),
        "--model", "none", "--rating", "easy", "--at", AT, "--json",
    )  # fmt: skip
    assert code == 0
    assert result["rating"] == "easy" and result["overridden"]
    assert result["suggested_rating"] != "easy"


def test_an_answer_is_kept_up_to_the_stored_limit_and_a_longer_one_is_refused(
    capsys: pytest.CaptureFixture[str],
    database: Database,
    add_questions: AddQuestions,
    tmp_path: Path,
) -> None:
    (question,) = add_questions(1)
    answer = tmp_path / "answer.txt"
    answer.write_text(("point one of 1 " * 10_000)[:STORED_ANSWER_CHARS], encoding="utf-8")
    review = ["review", "--question-id", str(question), "--answer-file", str(answer)]
    too_long = tmp_path / "too-long.txt"
    too_long.write_text("é" * (STORED_ANSWER_CHARS + 1), encoding="utf-8")
    code = main([*review[:3], "--answer-file", str(too_long), "--model", "none",
                 "--db", str(database.path)])  # fmt: skip
    assert code == 2
    err = capsys.readouterr().err
    assert f"longer than {STORED_ANSWER_CHARS:,} characters" in err
    assert "nothing was recorded" in err
    assert ReviewRepository(database).last_review() is None
    code, result = run(capsys, database, *review, "--model", "none", "--at", AT, "--json")
    assert code == 0 and result["recorded"]
    stored = ReviewRepository(database).last_review()
    assert stored is not None
    assert stored.review.answer_text == answer.read_text(encoding="utf-8")  # kept whole


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--rating", "great"], "unknown rating"),
        (["--rating", "good", "--at", "2025-03-14T09:00:00"], "no UTC offset"),
        (["--rating", "good", "--at", "yesterday"], "not an ISO 8601 time"),
        ([], "--answer-file"),
        (["--answer-file", "/no/such/answer.txt"], "Cannot read the answer file"),
        (["--answer-file", "ANSWER", "--model", "/no/such/model.gguf"], "model"),
    ],
)
def test_bad_input_is_refused_and_nothing_is_recorded(
    capsys: pytest.CaptureFixture[str],
    database: Database,
    add_questions: AddQuestions,
    tmp_path: Path,
    args: list[str],
    message: str,
) -> None:
    (question,) = add_questions(1)
    answer = tmp_path / "answer.txt"
    answer.write_text("an answer", encoding="utf-8")
    args = [str(answer) if arg == "ANSWER" else arg for arg in args]
    try:
        code = main(["review", "--question-id", str(question), *args, "--db", str(database.path)])
    except SystemExit as exit_:  # argparse refuses unreadable values itself
        code = int(exit_.code or 0)
    assert code == 2
    assert message.lower() in capsys.readouterr().err.lower()
    assert ReviewRepository(database).last_review() is None


def test_unknown_and_retired_questions_are_refused(
    capsys: pytest.CaptureFixture[str], database: Database, add_questions: AddQuestions
) -> None:
    q = add_questions(2)
    QuestionBank(database).set_status(q[1], QuestionStatus.RETIRED)
    for question, message in ((9999, "no question"), (q[1], "retired")):
        code = main(
            [
                "review",
                "--question-id",
                str(question),
                "--rating",
                "good",
                "--db",
                str(database.path),
            ]
        )
        assert code == 2
        assert message in capsys.readouterr().err
    assert ReviewRepository(database).last_review() is None


def test_optimising_with_too_few_reviews_says_why(
    capsys: pytest.CaptureFixture[str], database: Database
) -> None:
    code = main(["optimize-schedule", "--db", str(database.path)])
    assert code == 2
    assert "at least 512 reviews" in capsys.readouterr().err
