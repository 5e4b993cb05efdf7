"""Writing a progress report as PDF, HTML, CSV or JSON, each file written atomically."""

from __future__ import annotations

from pathlib import Path

from desktop.core.output_targets import ProtectedFiles
from desktop.core.reports.report import ProgressReport
from desktop.core.reports.service import ProgressCallback, ReportFormat
from desktop.reports.export.csv_export import render_csv
from desktop.reports.export.files import prepare_folder, write_file, write_files
from desktop.reports.export.json_export import render_json
from desktop.reports.export.qt_runtime import ensure_gui_application


def default_file_name(report: ProgressReport, report_format: ReportFormat) -> str:
    """The file name used when `out` is a folder: viva-report-<last day>.pdf (no suffix for
    CSV, whose files go into a folder of that name)."""
    stem = f"viva-report-{report.period.end.isoformat()}"
    return stem if report_format.writes_folder else f"{stem}.{report_format.value}"


def export_report(
    report: ProgressReport,
    report_format: ReportFormat,
    out: Path,
    *,
    protected: ProtectedFiles | None = None,
    on_progress: ProgressCallback | None = None,
) -> tuple[Path, ...]:
    """Writes `report` to `out` and returns the files written.

    For CSV, `out` is a folder (created if needed) that receives reviews.csv and
    questions.csv. For the other formats `out` is the file; an existing folder receives a file
    with the default name. A target among the `protected` files (the database, its backups)
    raises `OutputTargetError` before anything is rendered or written.
    """
    out = out.expanduser()
    if report_format.writes_folder:
        files = render_csv(report)
        for name in files:
            if protected is not None:
                protected.check_output(out / name, writing="the report")
        written = write_files(out, files)
    else:
        target = out / default_file_name(report, report_format) if out.is_dir() else out
        if protected is not None:
            protected.check_output(target, writing="the report")
        prepare_folder(target.parent)
        written = (write_file(target, _render_single(report, report_format, on_progress)),)
    if on_progress:
        on_progress(1.0, "Done")
    return written


def _render_single(
    report: ProgressReport, report_format: ReportFormat, on_progress: ProgressCallback | None
) -> bytes:
    if report_format is ReportFormat.JSON:
        return render_json(report)
    ensure_gui_application()
    # Imported here so that JSON and CSV exports never load the Qt painting stack.
    if report_format is ReportFormat.PDF:
        from desktop.reports.export.pdf_export import render_pdf

        return render_pdf(report, on_progress)
    from desktop.reports.export.html_export import render_html

    return render_html(report, on_progress)
