"""The report as JSON: the same data the PDF shows, for scripts and other tools.

Top level: `schema_version`, `generated_at`, `app_version`, `period`, `scope`, `summary` (the
headline numbers: `reviews` in the period, `questions` in scope, ...), then one key per section.
Dates are ISO 8601, ratios are fractions rounded to 4 places, durations are milliseconds, and
null means nothing was measured.
"""

from __future__ import annotations

import dataclasses
import json
from datetime import date, datetime
from enum import Enum
from typing import Any

from desktop.core.reports.report import MATURE_STABILITY_DAYS, ProgressReport

DECIMALS = 4


def plain(value: Any) -> Any:
    """Dataclasses, tuples, dates and enums as JSON values."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {
            f.name: plain(getattr(value, f.name))
            for f in dataclasses.fields(value)
            if f.name != "history"
        }
    if isinstance(value, (list, tuple)):
        return [plain(item) for item in value]
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, float):
        return round(value, DECIMALS)
    return value


def summary(report: ProgressReport) -> dict[str, Any]:
    mastery = report.mastery
    return {
        "reviews": report.activity.reviews,
        "questions": len(report.history.questions),
        "active_questions": mastery.active_questions,
        "has_activity": report.has_activity,
        "message": "" if report.has_activity else "No activity yet in this period.",
        "time_spent_ms": report.activity.duration_ms,
        "active_days": report.activity.active_days,
        "current_streak": report.activity.current_streak,
        "retention": plain(mastery.retention),
        "retrievability": plain(mastery.retrievability),
        "average_score": plain(report.quality.average_score),
        "mock_interviews": report.activity.mock_interviews,
    }


def report_json(report: ProgressReport) -> dict[str, Any]:
    body = plain(report)
    document: dict[str, Any] = {
        "schema_version": body.pop("schema_version"),
        "generated_at": body.pop("generated_at"),
        "app_version": body.pop("app_version"),
        "period": body.pop("period"),
        "scope": body.pop("scope"),
        "summary": summary(report),
    }
    document.update(body)
    document["mastery"]["mature_stability_days"] = MATURE_STABILITY_DAYS
    return document


def render_json(report: ProgressReport) -> bytes:
    text = json.dumps(report_json(report), ensure_ascii=False, indent=2)
    return (text + "\n").encode("utf-8")
