"""The name typed in the report's save dialog: its ending chooses the format; a name without a
known ending gets the chosen file type's."""

from __future__ import annotations

from pathlib import Path

import pytest

from desktop.core.reports.service import ReportFormat
from desktop.ui.statistics.export import export_target

PDF, HTML, JSON, CSV = (
    "PDF report (*.pdf)",
    "Web page (*.html)",
    "JSON data (*.json)",
    "CSV files, written into a folder (*)",
)


@pytest.mark.parametrize(
    ("typed", "chosen", "expected"),
    [
        ("/r/viva-report.html", PDF, (ReportFormat.HTML, "/r/viva-report.html")),
        ("/r/viva-report.html", HTML, (ReportFormat.HTML, "/r/viva-report.html")),
        ("/r/Report.PDF", HTML, (ReportFormat.PDF, "/r/Report.PDF")),
        ("/r/data.json", PDF, (ReportFormat.JSON, "/r/data.json")),
        ("/r/page.htm", PDF, (ReportFormat.HTML, "/r/page.htm")),
        ("/r/viva-report", PDF, (ReportFormat.PDF, "/r/viva-report.pdf")),
        ("/r/viva-report", HTML, (ReportFormat.HTML, "/r/viva-report.html")),
        ("/r/notes.v2", JSON, (ReportFormat.JSON, "/r/notes.v2.json")),
        ("/r/csv-out", CSV, (ReportFormat.CSV, "/r/csv-out")),
    ],
)
def test_the_typed_ending_chooses_the_format(
    typed: str, chosen: str, expected: tuple[ReportFormat, str]
) -> None:
    report_format, target = export_target(typed, chosen)
    assert (report_format, target) == (expected[0], Path(expected[1]))
