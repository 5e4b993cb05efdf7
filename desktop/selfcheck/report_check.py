"""A progress report renders: the PDF export, written into the selfcheck's folder."""

from __future__ import annotations

import re
from pathlib import Path

from desktop.core.reports.report import ReportRequest
from desktop.core.reports.service import ReportFormat
from desktop.selfcheck.outcome import CheckFailed
from desktop.services.viva import Viva

_PAGE = re.compile(rb"/Type\s*/Page\b")


def render_report(viva: Viva, folder: Path) -> str:
    service = viva.reports()
    report = service.build_report(ReportRequest())
    written = service.export_report(report, ReportFormat.PDF, folder / "report.pdf")
    if len(written) != 1 or not written[0].is_file():
        raise CheckFailed(f"the PDF export wrote {list(map(str, written))}, not one file")
    data = written[0].read_bytes()
    if not data.startswith(b"%PDF-") or b"%%EOF" not in data[-1024:]:
        raise CheckFailed(f"the PDF report {written[0].name} is malformed ({len(data)} bytes)")
    pages = len(_PAGE.findall(data))
    if pages == 0:
        raise CheckFailed(f"the PDF report {written[0].name} has no pages ({len(data)} bytes)")
    return f"a {pages}-page PDF report rendered ({len(data) // 1024} KiB)"
