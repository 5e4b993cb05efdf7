"""Exporting a progress report from the statistics screen: a save dialog, then the export on
the database lane with its progress shown."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QFileDialog, QWidget

from desktop.core.reports.report import ProgressReport
from desktop.core.reports.service import ProgressReports, ReportFormat
from desktop.ui.tasks import Lane, TaskContext, TaskFailure, TaskRunner

_FILTERS = {
    "PDF report (*.pdf)": ReportFormat.PDF,
    "Web page (*.html)": ReportFormat.HTML,
    "JSON data (*.json)": ReportFormat.JSON,
    "CSV files, written into a folder (*)": ReportFormat.CSV,
}

ExportTarget = tuple[ReportFormat, Path]
# Asks where to save, starting from the suggested file (the last folder and format used).
ChooseExportTarget = Callable[[QWidget, Path], ExportTarget | None]


# A name typed with one of these endings chooses its format, whatever the file type box says.
_TYPED_SUFFIXES = {".pdf": ReportFormat.PDF, ".html": ReportFormat.HTML, ".htm": ReportFormat.HTML}
_TYPED_SUFFIXES[".json"] = ReportFormat.JSON


def export_target(path: str, chosen_filter: str) -> ExportTarget:
    """The format and file for a name typed in the save dialog: its ending decides the format
    ("report.html" is a web page even with the PDF file type chosen); a name without a known
    ending gets the chosen file type's."""
    target = Path(path)
    typed = _TYPED_SUFFIXES.get(target.suffix.lower())
    if typed is not None:
        return typed, target
    report_format = _FILTERS.get(chosen_filter, ReportFormat.PDF)
    if not report_format.writes_folder:
        target = target.with_name(f"{target.name}.{report_format.value}")
    return report_format, target


def choose_export_target(parent: QWidget, suggested: Path) -> ExportTarget | None:
    """Asks where to save; the name's ending, or else the chosen file type, decides the
    format."""
    by_suffix = {f".{f.value}": name for name, f in _FILTERS.items()}
    path, chosen_filter = QFileDialog.getSaveFileName(
        parent,
        "Export progress report",
        str(suggested),
        ";;".join(_FILTERS),
        by_suffix.get(suggested.suffix.lower(), ""),
    )
    if not path:
        return None
    return export_target(path, chosen_filter)


class ReportExporter(QObject):
    """Runs one export at a time and reports progress as (fraction, what)."""

    progressed = Signal(float, str)
    exported = Signal(object)  # tuple[Path, ...]
    failed = Signal(object)  # TaskFailure

    def __init__(self, reports: ProgressReports, runner: TaskRunner) -> None:
        super().__init__()
        self._reports = reports
        self._runner = runner
        self.running = False

    def export(self, report: ProgressReport, report_format: ReportFormat, out: Path) -> None:
        if self.running:
            return
        self.running = True

        def work(context: TaskContext) -> tuple[Path, ...]:
            return self._reports.export_report(
                report,
                report_format,
                out,
                on_progress=lambda fraction, what: context.report((fraction, what)),
            )

        self._runner.submit(
            Lane.DATABASE,
            f"exporting the report to {out}",
            work,
            on_success=self._on_exported,
            on_failure=self._on_failed,
            on_progress=self._on_progress,
        )

    def _on_progress(self, value: object) -> None:
        if isinstance(value, tuple) and len(value) == 2:
            self.progressed.emit(float(value[0]), str(value[1]))

    def _on_exported(self, paths: object) -> None:
        self.running = False
        self.exported.emit(paths)

    def _on_failed(self, failure: TaskFailure) -> None:
        self.running = False
        self.failed.emit(failure)
