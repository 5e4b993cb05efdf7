"""The HTML export is one self-contained file: it is parsed here and every attribute that could
make a browser fetch something (src, href, ...) and every CSS url() is checked."""

from __future__ import annotations

import re
from datetime import UTC
from html.parser import HTMLParser
from pathlib import Path

from desktop.core.bank.questions import QuestionKind, QuestionStatus
from desktop.core.grading.grades import KeyPointVerdict, Verdict
from desktop.core.reports.history import History, HistoryScope, QuestionRecord, ReviewRecord
from desktop.core.reports.report import ProgressReport, ReportPeriod
from desktop.core.reports.service import ReportFormat
from desktop.core.review.cards import Rating, ReviewStatus
from desktop.reports.builder import compute_report
from desktop.reports.days import StudyCalendar
from desktop.reports.service import ReportService
from tests.reports.scripted_history import LISTS, NOW, at

# Attributes through which HTML or SVG can load something.
URL_ATTRIBUTES = {
    "src",
    "href",
    "xlink:href",
    "srcset",
    "action",
    "formaction",
    "poster",
    "data",
    "background",
    "ping",
    "cite",
    "longdesc",
    "manifest",
    "codebase",
    "archive",
    "lowsrc",
}
LOADING_TAGS = {
    "script",
    "link",
    "iframe",
    "object",
    "embed",
    "base",
    "img",
    "audio",
    "video",
    "source",
    "image",
    "use",
    "foreignobject",
}
CSS_FETCH = re.compile(r"url\s*\(|@import", re.IGNORECASE)


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.url_values: list[str] = []
        self.styles: list[str] = []
        self._in_style = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self._in_style = tag == "style"
        for name, value in attrs:
            if name in URL_ATTRIBUTES:
                self.url_values.append(value or "")
            if name == "style":
                self.styles.append(value or "")

    def handle_data(self, data: str) -> None:
        if self._in_style:
            self.styles.append(data)

    def handle_endtag(self, tag: str) -> None:
        self._in_style = False


def _parse(path: Path) -> _Collector:
    collector = _Collector()
    collector.feed(path.read_text(encoding="utf-8"))
    collector.close()
    return collector


def _assert_self_contained(path: Path) -> _Collector:
    page = _parse(path)
    assert page.url_values == [], "no attribute may point anywhere"
    assert [s for s in page.styles if CSS_FETCH.search(s)] == []
    assert LOADING_TAGS.isdisjoint(page.tags)
    return page


def test_the_html_report_requests_nothing_and_inlines_its_charts(
    report: ProgressReport, service: ReportService, tmp_path: Path
) -> None:
    (path,) = service.export_report(report, ReportFormat.HTML, tmp_path / "report.html")
    page = _assert_self_contained(path)
    assert page.tags.count("svg") == 4
    text = path.read_text(encoding="utf-8")
    assert "Content-Security-Policy" in text and "default-src 'none'" in text
    assert "<h2>Mastery</h2>" in text
    assert "What is the GIL?" in text
    assert f"<td>{LISTS.replace('>', '&gt;')}</td>" in text
    assert ">Reviews per day<" in text  # the chart's caption, and its svg title
    # The weakest questions in full, their reference rendered as the notes wrote it.
    assert "<h2>Questions to revisit</h2>" in text
    revisit = text[text.index("<h2>Questions to revisit</h2>") :]
    assert "<p><strong>The bytecode lock</strong>:</p>\n<ul>\n<li>One thread runs" in revisit
    assert "<ul>\n<li>I/O releases it</li>\n</ul>" in revisit  # the nested item
    assert '<table class="grid"' in revisit and '<table class="code"' in revisit


def test_markup_in_a_question_or_topic_stays_text(service: ReportService, tmp_path: Path) -> None:
    hostile = '<img src="https://example.com/x.png"> & <script>alert(1)</script>'
    record = ReviewRecord(
        id=1,
        question_id=1,
        deck="d",
        topic=hostile,
        reviewed_at=at(31),
        duration_ms=1000,
        status=ReviewStatus.GRADED,
        score=0.5,
        key_points=(KeyPointVerdict(f"point {hostile}", Verdict.MISSING),),
        model="m",
        suggested_rating=Rating.GOOD,
        rating=Rating.GOOD,
        overridden=False,
        counted=True,
        session_id=None,
    )
    question = QuestionRecord(
        1, "d", hostile, QuestionKind.QA, QuestionStatus.ACTIVE, hostile, None
    )
    day = at(31).date()
    report = compute_report(
        History(reviews=(record,), questions=(question,), activity_times=(at(31),)),
        ReportPeriod(day, day, "UTC"),
        HistoryScope(),
        now=NOW,
        calendar=StudyCalendar(UTC),
    )
    (path,) = service.export_report(report, ReportFormat.HTML, tmp_path / "hostile.html")
    page = _assert_self_contained(path)
    assert "script" not in page.tags and "img" not in page.tags
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in path.read_text(encoding="utf-8")


def test_an_empty_database_gives_a_page_that_says_so(
    empty_report: ProgressReport, empty_service: ReportService, tmp_path: Path
) -> None:
    (path,) = empty_service.export_report(empty_report, ReportFormat.HTML, tmp_path / "e.html")
    _assert_self_contained(path)
    text = path.read_text(encoding="utf-8")
    assert "No activity yet" in text and "No mock interviews in this period." in text
