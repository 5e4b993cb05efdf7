"""`ProgressReports` for the app and the command line: build, export, paint a chart.

The statistics screen receives one from the composition root; it never imports this package.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from desktop.core.output_targets import ProtectedFiles
from desktop.core.reports.history import HistorySource
from desktop.core.reports.report import ProgressReport, ReportRequest
from desktop.core.reports.service import ChartKind, ChartStyle, ProgressCallback, ReportFormat
from desktop.core.review.schedule_settings import ScheduleSettings
from desktop.reports.builder import build_report
from desktop.reports.days import StudyCalendar
from desktop.reports.export import export_report
from desktop.reports.mastery import decay_from_parameters

DEFAULT_SETTINGS = ScheduleSettings()


def _utc_now() -> datetime:
    return datetime.now(UTC)


class ReportService:
    """Reports over `source`, with study days and FSRS decay from the scheduling settings.

    `settings` may be a function, so a report always uses the settings saved last. No report
    is written over one of the `protected` files (the database and its backups).
    """

    def __init__(
        self,
        source: HistorySource,
        settings: ScheduleSettings | Callable[[], ScheduleSettings] = DEFAULT_SETTINGS,
        *,
        clock: Callable[[], datetime] = _utc_now,
        protected: ProtectedFiles | None = None,
    ) -> None:
        self._source = source
        self._settings = settings
        self._clock = clock
        self._protected = protected

    def _current_settings(self) -> ScheduleSettings:
        settings = self._settings
        return settings if isinstance(settings, ScheduleSettings) else settings()

    def build_report(self, request: ReportRequest) -> ProgressReport:
        settings = self._current_settings()
        return build_report(
            self._source,
            request,
            now=self._clock(),
            calendar=StudyCalendar(settings.zone, settings.day_starts_at_hour),
            decay=decay_from_parameters(settings.parameters),
        )

    def export_report(
        self,
        report: ProgressReport,
        report_format: ReportFormat,
        out: Path,
        *,
        on_progress: ProgressCallback | None = None,
    ) -> tuple[Path, ...]:
        return export_report(
            report, report_format, out, protected=self._protected, on_progress=on_progress
        )

    def paint_chart(
        self, kind: ChartKind, painter: Any, rect: Any, report: ProgressReport, style: ChartStyle
    ) -> None:
        # Imported on first use: building and exporting JSON/CSV need no Qt painting.
        from desktop.reports.charts.report_charts import paint_report_chart

        paint_report_chart(kind, painter, rect, report, style)
