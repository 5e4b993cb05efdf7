"""The JSON export's numbers, checked exactly against the scripted history (see conftest.py).

In the period March 26-31 there are eight reviews (the one of March 1 lies before it):

    id  day    question  status      score  rating  suggested  override  seconds  model
    2   26     1 Lists   graded      0.6    3       3                    60       smol
    3   27     2 Lists   graded      0.3    2       1          up        90       smol
    4   28     3 Dicts   self-rated  -      1       -                    30       -
    5   28     3 Dicts   graded      0.4    1       1                    45       qwen
    6   30     4 Thr.    graded      0.2    1       1                    120      smol (mock)
    7   30     3 Dicts   ungraded    -      3       -                    100      smol (mock)
    8   30     1 Lists   graded      0.8    4       3          up        50       smol
    9   31     3 Dicts   graded      0.9    3       4          down      20       qwen
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from fsrs import Card, Scheduler, State

from desktop.core.reports.history import HistoryScope
from desktop.core.reports.report import ProgressReport, ReportRequest
from desktop.core.reports.service import ReportFormat
from desktop.reports.service import ReportService
from tests.reports.scripted_history import DICTS, LISTS, NOW, QWEN, SMOL, THREADS, at


def _export(report: ProgressReport, service: ReportService, tmp_path: Path) -> dict[str, Any]:
    (path,) = service.export_report(report, ReportFormat.JSON, tmp_path / "report.json")
    data = json.loads(path.read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def test_summary_and_activity_follow_the_script(
    report: ProgressReport, service: ReportService, tmp_path: Path
) -> None:
    data = _export(report, service, tmp_path)
    assert data["schema_version"] == 1
    assert data["generated_at"] == "2025-03-31T12:00:00+00:00"
    assert data["period"] == {
        "start": "2025-03-26",
        "end": "2025-03-31",
        "timezone": "UTC",
        "day_starts_at_hour": 0,
    }
    summary = data["summary"]
    assert summary == {
        "reviews": 8,
        "questions": 6,  # five active, one suspended
        "active_questions": 5,
        "has_activity": True,
        "message": "",
        "time_spent_ms": (60 + 90 + 30 + 45 + 120 + 100 + 50 + 20) * 1000,
        "active_days": 5,  # all but March 29
        "current_streak": 2,  # March 30 and 31
        "retention": round(5 / 8, 4),  # ratings above Again: reviews 2, 3, 7, 8, 9
        "retrievability": summary["retrievability"],  # checked against fsrs below
        "average_score": round((0.6 + 0.3 + 0.4 + 0.2 + 0.8 + 0.9) / 6, 4),
        "mock_interviews": 1,
    }
    activity = data["activity"]
    assert [(d["day"][-2:], d["reviews"], d["duration_ms"]) for d in activity["days"]] == [
        ("26", 1, 60_000),
        ("27", 1, 90_000),
        ("28", 2, 75_000),
        ("29", 0, 0),
        ("30", 3, 270_000),
        ("31", 1, 20_000),
    ]
    assert activity["longest_streak"] == 3  # 26-28; March 1 counts too but stands alone


def _fsrs_retrievability(stability: float, last_review_day: int, hour: int) -> float:
    last_review = at(last_review_day, hour)
    card = Card(state=State.Review, stability=stability, difficulty=5.0, last_review=last_review)
    return float(Scheduler().get_card_retrievability(card, NOW))


def test_mastery_matches_fsrs_and_the_cards(
    report: ProgressReport, service: ReportService, tmp_path: Path
) -> None:
    mastery = _export(report, service, tmp_path)["mastery"]
    expected_recall = [
        _fsrs_retrievability(30.0, 30, 18),  # question 1
        _fsrs_retrievability(5.0, 27, 9),  # question 2
        _fsrs_retrievability(2.0, 31, 9),  # question 3
        _fsrs_retrievability(10.0, 20, 9),  # question 4 (5 is new, 6 suspended)
    ]
    assert mastery["retrievability"] == round(sum(expected_recall) / 4, 4)
    assert (mastery["new"], mastery["learning"], mastery["mature"]) == (1, 3, 1)
    assert (mastery["suspended"], mastery["retired"]) == (1, 0)
    assert mastery["mature_stability_days"] == 21.0
    # Question 4 was due March 30 (overdue, counted today) and 3 today; 2 on April 2 and 1 on
    # April 29, the thirtieth day. The suspended question 6 is not forecast.
    due = {d["day"]: d["due"] for d in mastery["forecast"] if d["due"]}
    assert len(mastery["forecast"]) == 30
    assert due == {"2025-03-31": 2, "2025-04-02": 1, "2025-04-29": 1}
    assert mastery["overdue"] == 1


def test_topics_quality_mock_interviews_and_grading(
    report: ProgressReport, service: ReportService, tmp_path: Path
) -> None:
    data = _export(report, service, tmp_path)
    topics = {t["topic"]: t for t in data["topics"]}
    assert list(topics) == [DICTS, LISTS, THREADS]
    assert topics[LISTS] | {"retrievability": None} == {
        "topic": LISTS,
        "questions": 2,
        "reviews": 3,
        "recalled": 3,
        "retention": 1.0,
        "graded": 3,
        "average_score": round((0.6 + 0.3 + 0.8) / 3, 4),
        "retrievability": None,
    }
    assert (topics[DICTS]["reviews"], topics[DICTS]["retention"]) == (4, 0.5)
    assert (topics[THREADS]["retention"], topics[THREADS]["average_score"]) == (0.0, 0.2)

    quality = data["quality"]
    assert quality["trend_bucket"] == "day"
    trends = {
        t["topic"]: [(p["start"][-2:], p["average_score"]) for p in t["points"]]
        for t in quality["trends"]
    }
    assert list(trends) == [LISTS, DICTS, THREADS]  # most graded answers first
    assert trends[LISTS] == [("26", 0.6), ("27", 0.3), ("30", 0.8)]
    assert trends[DICTS] == [("28", 0.4), ("31", 0.9)]
    weakest = [
        (w["question_id"], w["average_score"], w["graded"]) for w in quality["weakest_questions"]
    ]
    assert weakest == [(4, 0.2, 1), (2, 0.3, 1), (3, 0.65, 2), (1, 0.7, 2)]
    question_one = quality["weakest_questions"][3]
    assert question_one["last_score"] == 0.8
    assert question_one["missed_key_points"] == [
        {"text": "filter clause", "missed": 1, "partial": 0}
    ]
    assert quality["weakest_questions"][2]["missed_key_points"] == [
        {"text": "insertion order", "missed": 0, "partial": 1}
    ]
    # Lists has three graded answers but averages below Good: no topic is strong yet.
    assert quality["strongest_topics"] == []
    assert quality["overrides"] == {"suggested": 6, "overridden": 3, "up": 2, "down": 1}

    (mock,) = data["mock_interviews"]
    assert mock["session_id"] == 2
    assert (mock["questions"], mock["graded"], mock["average_score"]) == (2, 1, 0.2)
    assert mock["duration_ms"] == 220_000  # the two answers' own times, as the app sums them
    assert mock["missed_key_points"] == [{"text": "bytecode lock", "missed": 1, "partial": 0}]

    grading = data["grading"]
    assert (grading["reviews"], grading["graded"], grading["ungraded"], grading["self_rated"]) == (
        8,
        6,
        1,
        1,
    )
    assert grading["by_model"] == [
        {"model": SMOL, "graded": 4, "average_score": round((0.6 + 0.3 + 0.2 + 0.8) / 4, 4)},
        {"model": QWEN, "graded": 2, "average_score": 0.65},
    ]


def test_without_dates_the_period_starts_at_the_first_review(
    service: ReportService, tmp_path: Path
) -> None:
    report = service.build_report(ReportRequest())
    data = _export(report, service, tmp_path)
    assert (data["period"]["start"], data["period"]["end"]) == ("2025-03-01", "2025-03-31")
    assert data["summary"]["reviews"] == 9
    assert data["quality"]["trend_bucket"] == "week"  # 31 days


def test_a_topic_filter_keeps_only_its_questions(service: ReportService, tmp_path: Path) -> None:
    request = ReportRequest(at(26).date(), at(31).date(), HistoryScope(topics=("Lists",)))
    data = _export(service.build_report(request), service, tmp_path)
    assert data["scope"] == {"topics": ["Lists"], "decks": []}
    assert (data["summary"]["reviews"], data["summary"]["questions"]) == (3, 2)
    assert data["mock_interviews"] == []  # its questions were about other topics
    assert data["summary"]["current_streak"] == 1  # Lists: March 30 only, not 31


def test_an_empty_database_gives_a_valid_report_saying_so(
    empty_report: ProgressReport, empty_service: ReportService, tmp_path: Path
) -> None:
    data = _export(empty_report, empty_service, tmp_path)
    assert data["summary"]["reviews"] == 0
    assert data["summary"]["questions"] == 0
    assert data["summary"]["has_activity"] is False
    assert "No activity yet" in data["summary"]["message"]
    assert data["summary"]["retention"] is None  # nothing measured, not 0%
    assert data["period"] == {
        "start": "2025-03-31",
        "end": "2025-03-31",
        "timezone": "UTC",
        "day_starts_at_hour": 0,
    }
    assert data["activity"]["days"] == [{"day": "2025-03-31", "reviews": 0, "duration_ms": 0}]
