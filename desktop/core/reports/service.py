"""How the rest of the app asks for progress reports, exports and charts.

`desktop.reports` implements `ProgressReports`; the statistics screen gets one from the
composition root and paints charts into its own widgets through `paint_chart`, which takes a
QPainter and a QRectF (typed `Any` here because core does not import Qt).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any, Protocol

from desktop.core.errors import VivaError
from desktop.core.reports.report import ProgressReport, ReportRequest


class ReportFormat(StrEnum):
    PDF = "pdf"
    HTML = "html"
    CSV = "csv"
    JSON = "json"

    @property
    def writes_folder(self) -> bool:
        """CSV writes reviews.csv and questions.csv into a folder; the others write one file."""
        return self is ReportFormat.CSV


class ChartKind(StrEnum):
    REVIEWS_PER_DAY = "reviews_per_day"
    DUE_FORECAST = "due_forecast"
    SCORE_BY_TOPIC = "score_by_topic"
    QUESTION_STATES = "question_states"


@dataclass(frozen=True)
class ChartStyle:
    """Colours ("#rrggbb") and text size of a chart; lengths in points, so a chart looks the
    same on a 96 dpi widget and a 1200 dpi PDF page. `background=None` paints none."""

    font_family: str = ""
    font_point_size: float = 8.0
    text: str = "#1f2328"
    muted: str = "#57606a"
    grid: str = "#d8dee4"
    axis: str = "#8c959f"
    background: str | None = None
    palette: tuple[str, ...] = (
        "#0969da",
        "#bf3989",
        "#1a7f37",
        "#bc4c00",
        "#8250df",
        "#0a7480",
        "#9a6700",
        "#57606a",
    )

    @classmethod
    def dark(cls, font_family: str = "") -> ChartStyle:
        return cls(
            font_family=font_family,
            text="#e6edf3",
            muted="#9198a1",
            grid="#30363d",
            axis="#6e7681",
            palette=(
                "#4493f8",
                "#f778ba",
                "#3fb950",
                "#f0883e",
                "#a371f7",
                "#39c5cf",
                "#d29922",
                "#9198a1",
            ),
        )


# Called with the fraction done (0..1) and what is being done, from the exporting thread.
ProgressCallback = Callable[[float, str], None]


class ReportRequestError(VivaError):
    """A report cannot be made as asked (the period ends before it starts, no topic matches)."""


class ReportExportError(VivaError):
    """A report could not be written (folder missing and not creatable, not writable, disk full)."""


class ProgressReports(Protocol):
    """Builds progress reports, exports them and paints their charts."""

    def build_report(self, request: ReportRequest) -> ProgressReport: ...

    def export_report(
        self,
        report: ProgressReport,
        report_format: ReportFormat,
        out: Path,
        *,
        on_progress: ProgressCallback | None = None,
    ) -> tuple[Path, ...]: ...

    def paint_chart(
        self, kind: ChartKind, painter: Any, rect: Any, report: ProgressReport, style: ChartStyle
    ) -> None: ...
