"""The PDF export, read back with pypdf: A4 pages, expected text on each, embedded fonts, vector
charts, and a long table that continues on the next page with its header repeated."""

from __future__ import annotations

import threading
from dataclasses import replace
from datetime import UTC
from pathlib import Path
from typing import Any

from pypdf import PdfReader

from desktop.core.bank.questions import QuestionKind, QuestionStatus
from desktop.core.reports.history import History, HistoryScope, QuestionRecord
from desktop.core.reports.report import ProgressReport, ReportPeriod
from desktop.core.reports.service import ReportFormat
from desktop.core.review.cards import CardSnapshot, CardState
from desktop.reports.builder import compute_report
from desktop.reports.days import StudyCalendar
from desktop.reports.service import ReportService
from tests.reports.scripted_history import DICTS, NOW, SMOL, at

A4_POINTS = (595, 842)


def _pages(path: Path) -> list[str]:
    """Each page's text with runs of whitespace as one space (Qt spaces words by position)."""
    return [" ".join(page.extract_text().split()) for page in PdfReader(path).pages]


def _export(report: ProgressReport, service: ReportService, path: Path) -> Path:
    (written,) = service.export_report(report, ReportFormat.PDF, path)
    return written


def test_each_section_is_on_its_expected_page(
    report: ProgressReport, service: ReportService, tmp_path: Path
) -> None:
    pages = _pages(_export(report, service, tmp_path / "report.pdf"))
    assert len(pages) == 4  # sections follow one another; the questions to revisit stand apart
    first, mastery, quality, revisit = pages
    last = quality
    for number, text in enumerate(pages, start=1):
        assert f"Page {number} of 4" in text
        assert "2025-03-26 to 2025-03-31" in text  # the running header
    assert "Viva progress report" in first
    assert "Generated 2025-03-31 12:00 (UTC) · Viva 0.1.0" in first
    assert "Overview" in first and "Reviews per day" in first
    assert "8 Reviews" in first and "5 of 6 Active days" in first and "63% Retention" in first
    assert "Mastery" in first and "Questions by stage" in first  # page 1 has room for it
    assert "Retention by topic" in mastery
    assert f"{DICTS} 1 4 50% 65% 100%" in mastery  # topic, questions, reviews, ret., grade, R
    assert "Reviews due in the next 30 days" in mastery
    assert "Answer quality" in mastery
    assert "The ten weakest questions" in quality
    assert "1 What is the GIL? 2 Concurrency 1 20% bytecode lock (1×)" in quality
    assert "changed the suggested rating 3 times out of 6 suggestions" in mastery
    assert "No topic has 3 graded answers averaging 65% or better" in quality
    assert "Mock interviews" in last and "2025-03-30 09:58 2 20% 4 min bytecode lock" in last
    assert f"{SMOL} 4 48%" in last and "How the answers were graded" in last
    assert "Questions to revisit" in revisit and "Question 1 · 2 Concurrency" in revisit
    # The reference as written: label, the list and its nested item, the table, the code.
    assert "What is the GIL? Reference answer The bytecode lock" in revisit
    assert (
        "One thread runs Python bytecode at a time I/O releases it C extensions may release it "
        "work threads help I/O bound yes import threading Missed most often: bytecode lock"
    ) in revisit
    assert " - " not in revisit
    assert "Are dicts ordered?" not in revisit  # 65% on average: Good, nothing to revisit


def test_pages_are_a4_with_embedded_fonts_and_vector_charts(
    report: ProgressReport, service: ReportService, tmp_path: Path
) -> None:
    reader = PdfReader(_export(report, service, tmp_path / "report.pdf"))
    assert reader.metadata is not None and reader.metadata.title == "Viva progress report"
    for page in reader.pages:
        assert (round(float(page.mediabox.width)), round(float(page.mediabox.height))) == A4_POINTS
        resources: Any = page["/Resources"]
        fonts = resources["/Font"]
        assert fonts, "every page has text"
        for reference in fonts.values():
            font = reference.get_object()
            descriptor = (
                font["/DescendantFonts"][0].get_object()["/FontDescriptor"]
                if "/DescendantFonts" in font
                else font["/FontDescriptor"]
            ).get_object()
            assert any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3"))
        images = [
            x
            for x in resources.get("/XObject", {}).values()
            if x.get_object().get("/Subtype") == "/Image"
        ]
        assert images == [], "charts are drawn as vector paths, not pasted pictures"


def _many_topics_report(count: int) -> ProgressReport:
    card = CardSnapshot(1, CardState.REVIEW, at(2, month=4), stability=30.0, last_review=at(30))
    questions = tuple(
        QuestionRecord(
            id=n,
            deck="big",
            topic=f"Section {n // 10} > Topic number {n:03d}",
            kind=QuestionKind.QA,
            status=QuestionStatus.ACTIVE,
            prompt=f"Question {n}",
            card=replace(card, question_id=n),
        )
        for n in range(1, count + 1)
    )
    period = ReportPeriod(at(31).date(), at(31).date(), "UTC")
    return compute_report(
        History(questions=questions),
        period,
        HistoryScope(),
        now=NOW,
        calendar=StudyCalendar(UTC),
    )


def test_a_long_table_continues_on_the_next_page_with_its_header(
    service: ReportService, tmp_path: Path
) -> None:
    pages = _pages(_export(_many_topics_report(90), service, tmp_path / "long.pdf"))
    text = " ".join(pages)
    assert all(f"Topic number {n:03d}" in text for n in range(1, 91))
    holding_rows = [p for p in pages if "Topic number" in p]
    assert len(holding_rows) >= 2
    for page in holding_rows:
        assert "Topic Questions Reviews Retention Avg grade Recall now" in page


def test_an_empty_database_gives_a_pdf_that_says_there_is_no_activity(
    empty_report: ProgressReport, empty_service: ReportService, tmp_path: Path
) -> None:
    pages = _pages(_export(empty_report, empty_service, tmp_path / "empty.pdf"))
    assert "No activity yet" in pages[0]
    assert "No reviews in this period yet" in pages[0]
    assert "No mock interviews in this period." in pages[-1]


def test_progress_is_reported_page_by_page_up_to_done(
    report: ProgressReport, service: ReportService, tmp_path: Path
) -> None:
    seen: list[tuple[float, str]] = []
    service.export_report(
        report, ReportFormat.PDF, tmp_path / "r.pdf", on_progress=lambda f, m: seen.append((f, m))
    )
    fractions = [fraction for fraction, _ in seen]
    assert fractions == sorted(fractions) and fractions[-1] == 1.0
    assert [m for _, m in seen if m.startswith("Page")] == [f"Page {n} of 4" for n in (1, 2, 3, 4)]


def test_a_worker_thread_can_export_while_the_application_runs(
    report: ProgressReport, service: ReportService, tmp_path: Path
) -> None:
    """The statistics screen exports off the GUI thread."""
    results: list[object] = []

    def export() -> None:
        try:
            results.extend(service.export_report(report, ReportFormat.PDF, tmp_path / "t.pdf"))
            results.extend(service.export_report(report, ReportFormat.HTML, tmp_path / "t.html"))
        except Exception as error:  # handed to the test thread to fail there
            results.append(error)

    worker = threading.Thread(target=export)
    worker.start()
    worker.join(timeout=120)
    assert results == [tmp_path / "t.pdf", tmp_path / "t.html"]
    assert len(PdfReader(tmp_path / "t.pdf").pages) == 4
