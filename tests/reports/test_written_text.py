"""What the learner wrote, printed faithfully: every column of a wide reference table is on
paper, and bidirectional controls cannot reorder the text of either report."""

from __future__ import annotations

import html
import re
import shutil
import subprocess
from datetime import UTC
from pathlib import Path

import pytest

from desktop.core.bank.questions import QuestionKind, QuestionStatus
from desktop.core.grading.grades import KeyPointVerdict, Verdict
from desktop.core.reports.history import History, HistoryScope, QuestionRecord, ReviewRecord
from desktop.core.reports.report import ProgressReport, ReportPeriod
from desktop.core.reports.service import ReportFormat
from desktop.core.review.cards import Rating, ReviewStatus
from desktop.reports.builder import compute_report
from desktop.reports.days import StudyCalendar
from desktop.reports.service import ReportService
from tests.reports.scripted_history import NOW, at

RLO = "\u202e"


def _weak_question_report(prompt: str, reference: str, topic: str = "t") -> ProgressReport:
    """One question graded 20% (so the report prints it in full), in topic `topic`."""
    review = ReviewRecord(
        id=1,
        question_id=1,
        deck="d",
        topic=topic,
        reviewed_at=at(31),
        duration_ms=1000,
        status=ReviewStatus.GRADED,
        score=0.2,
        key_points=(KeyPointVerdict("point", Verdict.MISSING),),
        model="m",
        suggested_rating=Rating.AGAIN,
        rating=Rating.AGAIN,
        overridden=False,
        counted=True,
        session_id=None,
    )
    question = QuestionRecord(
        1, "d", topic, QuestionKind.QA, QuestionStatus.ACTIVE, prompt, None, reference=reference
    )
    day = at(31).date()
    return compute_report(
        History(reviews=(review,), questions=(question,), activity_times=(at(31),)),
        ReportPeriod(day, day, "UTC"),
        HistoryScope(),
        now=NOW,
        calendar=StudyCalendar(UTC),
    )


def _pdf_text(report: ProgressReport, service: ReportService, path: Path) -> str:
    pdftotext = shutil.which("pdftotext")
    if pdftotext is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    (written,) = service.export_report(report, ReportFormat.PDF, path)
    result = subprocess.run(
        [pdftotext, "-enc", "UTF-8", str(written), "-"], capture_output=True, check=True
    )
    return result.stdout.decode("utf-8")


def test_every_column_of_a_200_column_reference_table_is_printed(
    empty_service: ReportService, tmp_path: Path
) -> None:
    header = "| " + " | ".join(f"h{n}" for n in range(1, 201)) + " |"
    rule = "|" + "---|" * 200
    row = "| " + " | ".join(f"v{n}" for n in range(1, 201)) + " |"
    report = _weak_question_report("A wide table?", f"{header}\n{rule}\n{row}")
    words = set(_pdf_text(report, empty_service, tmp_path / "wide.pdf").split())
    assert {f"h{n}" for n in range(1, 201)} <= words
    assert {f"v{n}" for n in range(1, 201)} <= words


def test_bidi_controls_do_not_reorder_the_pdf(empty_service: ReportService, tmp_path: Path) -> None:
    report = _weak_question_report(
        f"Open abc{RLO}exe.txt?", f"Run x{RLO}fdp.sh now", topic=f"Files{RLO}gnp.doc"
    )
    text = _pdf_text(report, empty_service, tmp_path / "bidi.pdf")
    assert "abcexe.txt" in text and "xfdp.sh" in text and "Filesgnp.doc" in text
    assert "abctxt.exe" not in text and "xhs.pdf" not in text


def test_the_html_report_has_no_bidi_controls(empty_service: ReportService, tmp_path: Path) -> None:
    controls = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c"
    report = _weak_question_report(
        f"Open abc{RLO}exe.txt?", f"Say a{controls}b", topic=f"Files{RLO}gnp.doc"
    )
    (path,) = empty_service.export_report(report, ReportFormat.HTML, tmp_path / "bidi.html")
    text = path.read_text(encoding="utf-8")
    assert not set(controls) & set(text)
    assert "abcexe.txt" in text and "Say ab" in text and "Filesgnp.doc" in text


def test_a_long_heading_wraps_within_the_page(empty_service: ReportService, tmp_path: Path) -> None:
    topic = (
        "Interview Questions: PyTorch & HuggingFace > Distributed and Mixed Precision Training "
        "> HuggingFace Questions about Accelerate, DeepSpeed and FSDP Wrapping Policies"
    )
    report = _weak_question_report("Why does FSDP need a wrapping policy?", "It decides.", topic)
    pdftotext = shutil.which("pdftotext")
    if pdftotext is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    (written,) = empty_service.export_report(report, ReportFormat.PDF, tmp_path / "h.pdf")
    boxes = subprocess.run(
        [pdftotext, "-bbox", "-enc", "UTF-8", str(written), "-"], capture_output=True, check=True
    ).stdout.decode("utf-8")
    page_width = float(re.search(r'<page width="([\d.]+)"', boxes)[1])  # type: ignore[index]
    words = re.findall(r'<word xMin="[\d.]+" yMin="[\d.]+" xMax="([\d.]+)"[^>]*>([^<]*)<', boxes)
    texts = [html.unescape(text) for _x, text in words]
    heading = ["Question", "1", "·", *topic.split()]
    start = next(i for i in range(len(texts)) if texts[i : i + 3] == heading[:3])
    assert texts[start : start + len(heading)] == heading  # the whole heading, in order
    for x_max, _text in words[start : start + len(heading)]:
        assert float(x_max) <= page_width - 20  # and on the paper
