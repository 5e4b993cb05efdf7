"""Exports are written to a temporary file and renamed: an unwritable target gives a clear error
and leaves nothing behind, not even half a file."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from desktop.core.reports.report import ProgressReport
from desktop.core.reports.service import ReportExportError, ReportFormat
from desktop.reports.service import ReportService


def _everything_under(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*"))


@pytest.mark.parametrize("report_format", list(ReportFormat))
def test_a_file_in_place_of_the_folder_is_a_clear_error(
    report_format: ReportFormat, report: ProgressReport, service: ReportService, tmp_path: Path
) -> None:
    exports = tmp_path / "exports"
    exports.mkdir()
    blocker = exports / "notes.txt"
    blocker.write_text("not a folder", encoding="utf-8")
    with pytest.raises(ReportExportError, match=r"notes\.txt is a file, not a folder"):
        service.export_report(report, report_format, blocker / "inside" / "report.out")
    assert _everything_under(exports) == ["notes.txt"]


def test_a_failing_write_leaves_no_partial_file(
    report: ProgressReport, service: ReportService, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def disk_full(_descriptor: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", disk_full)
    exports = tmp_path / "exports"
    for report_format in ReportFormat:
        with pytest.raises(ReportExportError, match="No space left on device"):
            service.export_report(report, report_format, exports / f"out.{report_format.value}")
    # CSV created its folder before failing; nothing was written into it.
    assert _everything_under(exports) == ["out.csv"]


@pytest.mark.skipif(os.geteuid() == 0, reason="root may write into read-only folders")
def test_a_read_only_folder_is_a_clear_error(
    report: ProgressReport, service: ReportService, tmp_path: Path
) -> None:
    folder = tmp_path / "locked"
    folder.mkdir()
    folder.chmod(0o500)
    try:
        with pytest.raises(ReportExportError, match="Cannot write the report"):
            service.export_report(report, ReportFormat.PDF, folder / "report.pdf")
        assert list(folder.iterdir()) == []
    finally:
        folder.chmod(0o700)


def test_a_new_report_replaces_an_old_one_and_has_ordinary_permissions(
    report: ProgressReport, service: ReportService, tmp_path: Path
) -> None:
    target = tmp_path / "deep" / "er" / "report.json"
    (first,) = service.export_report(report, ReportFormat.JSON, target)
    first.write_text("stale", encoding="utf-8")
    service.export_report(report, ReportFormat.JSON, target)
    assert target.read_text(encoding="utf-8").startswith("{")
    umask = os.umask(0)
    os.umask(umask)
    assert target.stat().st_mode & 0o777 == 0o666 & ~umask
    assert _everything_under(tmp_path / "deep" / "er") == ["report.json"]


def test_an_existing_folder_receives_a_file_with_the_default_name(
    report: ProgressReport, service: ReportService, tmp_path: Path
) -> None:
    (written,) = service.export_report(report, ReportFormat.HTML, tmp_path)
    assert written == tmp_path / "viva-report-2025-03-31.html"
