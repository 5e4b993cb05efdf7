"""`report`: export a progress report as PDF, HTML, CSV (a folder of two files) or JSON."""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path
from typing import Any

from desktop.cli.context import EXIT_OK, CliContext, add_common_options, add_json_option, print_json
from desktop.core.reports.history import HistoryScope
from desktop.core.reports.report import ReportRequest
from desktop.core.reports.service import ReportFormat


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date: use YYYY-MM-DD") from None


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "report",
        help="export a progress report (PDF, HTML, CSV or JSON)",
        description="Export a progress report. Days are study days in the timezone and with "
        "the day boundary of the scheduling settings; both dates are included.",
    )
    add_common_options(parser)
    add_json_option(parser)
    parser.add_argument(
        "--format",
        dest="report_format",
        type=ReportFormat,
        choices=list(ReportFormat),
        required=True,
        metavar="{pdf,html,csv,json}",
        help="pdf, html, json: one file; csv: reviews.csv and questions.csv in a folder",
    )
    parser.add_argument(
        "--out",
        type=Path,
        required=True,
        help="the file to write (a folder for csv; an existing folder gets a default name)",
    )
    parser.add_argument("--from", dest="start", type=_day, help="first day (default: first review)")
    parser.add_argument("--to", dest="end", type=_day, help="last day (default: today)")
    parser.add_argument(
        "--topic",
        action="append",
        default=[],
        metavar="T",
        help='only this topic and its subtopics, e.g. "PyTorch" (repeatable)',
    )
    parser.add_argument(
        "--deck", action="append", default=[], metavar="D", help="only this deck (repeatable)"
    )
    parser.set_defaults(handler=run_report)


def run_report(args: argparse.Namespace, context: CliContext) -> int:
    service = context.viva.reports()
    scope = HistoryScope(topics=tuple(args.topic), decks=tuple(args.deck))
    report = service.build_report(ReportRequest(args.start, args.end, scope))
    written = service.export_report(report, args.report_format, args.out)
    if args.json:
        print_json(
            {
                "format": args.report_format.value,
                "files": [str(path) for path in written],
                "period": {"start": report.period.start, "end": report.period.end},
                "reviews": report.activity.reviews,
                "questions": len(report.history.questions),
            }
        )
        return EXIT_OK
    for path in written:
        print(f"Wrote {path}")
    if not report.has_activity:
        print("No activity yet in this period: the report says so.")
    return EXIT_OK
