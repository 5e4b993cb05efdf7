"""The CSV export: one row per review in the period and one per question, exactly as scripted."""

from __future__ import annotations

import csv
from pathlib import Path

from desktop.core.reports.report import ProgressReport
from desktop.core.reports.service import ReportFormat
from desktop.reports.service import ReportService
from tests.reports.scripted_history import DICTS, LISTS, QWEN, SMOL, THREADS


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as stream:
        return list(csv.DictReader(stream))


def test_reviews_csv_has_one_row_per_review_in_the_period(
    report: ProgressReport, service: ReportService, tmp_path: Path
) -> None:
    written = service.export_report(report, ReportFormat.CSV, tmp_path / "export")
    assert sorted(p.name for p in written) == ["questions.csv", "reviews.csv"]
    rows = _rows(tmp_path / "export" / "reviews.csv")
    assert [r["review_id"] for r in rows] == ["2", "3", "4", "5", "6", "7", "8", "9"]
    assert rows[0] == {
        "review_id": "2",
        "question_id": "1",
        "deck": "python-notes",
        "topic": LISTS,
        "reviewed_at": "2025-03-26T09:00:00+00:00",
        "grade_status": "graded",
        "score": "0.6",
        "rating": "3",
        "suggested_rating": "3",
        "override": "",
        "duration_ms": "60000",
        "model": SMOL,
        "session_id": "1",
    }
    self_rated = rows[2]
    assert (self_rated["grade_status"], self_rated["score"], self_rated["model"]) == (
        "self-rated",
        "",
        "",
    )
    assert [r["override"] for r in rows] == ["", "up", "", "", "", "", "up", "down"]
    assert [r["topic"] for r in rows][3:5] == [DICTS, THREADS]
    assert rows[7]["model"] == QWEN
    assert sum(int(r["duration_ms"]) for r in rows) == report.activity.duration_ms


def test_questions_csv_has_each_question_with_its_card_now(
    report: ProgressReport, service: ReportService, tmp_path: Path
) -> None:
    service.export_report(report, ReportFormat.CSV, tmp_path)
    rows = {r["question_id"]: r for r in _rows(tmp_path / "questions.csv")}
    assert list(rows) == ["1", "2", "3", "4", "5", "6"]
    first = rows["1"]
    assert {k: first[k] for k in ("state", "due", "stability", "difficulty", "lapses")} == {
        "state": "review",
        "due": "2025-04-29T18:00:00+00:00",
        "stability": "30",
        "difficulty": "4.5",
        "lapses": "0",
    }
    assert first["last_score"] == "0.8"  # its latest graded answer, March 30
    assert (rows["3"]["state"], rows["3"]["lapses"], rows["3"]["last_score"]) == (
        "relearning",
        "1",
        "0.9",
    )
    never_seen = rows["5"]
    assert (never_seen["state"], never_seen["due"], never_seen["last_score"]) == ("new", "", "")
    assert rows["6"]["status"] == "suspended"
    assert rows["4"]["prompt"] == "What is the GIL?"


def test_an_empty_database_writes_headers_only(
    empty_report: ProgressReport, empty_service: ReportService, tmp_path: Path
) -> None:
    empty_service.export_report(empty_report, ReportFormat.CSV, tmp_path / "csv")
    for name in ("reviews.csv", "questions.csv"):
        lines = (tmp_path / "csv" / name).read_text(encoding="utf-8").splitlines()
        assert len(lines) == 1 and lines[0].split(",")[0] in ("review_id", "question_id")
