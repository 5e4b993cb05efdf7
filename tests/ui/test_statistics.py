"""The statistics screen with real history: numbers, charts, the weakest questions, and an
export through the save dialog with its progress."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from desktop.core.reports.service import ReportFormat
from desktop.reports.service import ReportService
from desktop.storage.database import Database
from desktop.storage.history import HistoryRepository
from desktop.ui.statistics.export import ExportTarget
from desktop.ui.statistics.screen import StatisticsScreen
from desktop.ui.tasks import TaskRunner
from desktop.ui.ui_state import UiState

from .conftest import record_reviews


def test_statistics_with_data_and_export(
    qtbot: QtBot, seeded_database: Database, runner: TaskRunner, tmp_path: Path
) -> None:
    answered = record_reviews(seeded_database, 8, score=0.3)
    target = tmp_path / "report.json"

    suggested: list[Path] = []

    def choose(_parent: QWidget, start: Path) -> ExportTarget:
        suggested.append(start)
        return ReportFormat.JSON, target

    state = UiState(tmp_path / "window-state.ini")
    screen = StatisticsScreen(
        ReportService(HistoryRepository(seeded_database)), runner, choose_target=choose, state=state
    )
    qtbot.addWidget(screen)
    screen.resize(1200, 900)
    screen.show()
    screen.on_shown()
    qtbot.waitUntil(lambda: screen.report is not None)
    assert screen.tiles["Reviews"].value.text() == str(answered)
    assert screen.tiles["Average score"].value.text() == "30%"
    assert screen.report is not None
    assert screen.weakest.rowCount() == len(screen.report.quality.weakest_questions) > 0
    assert screen.topics_table.rowCount() > 0
    for table in (screen.topics_table, screen.weakest):  # all rows show: the page scrolls
        assert table.verticalScrollBar().maximum() == 0
    assert screen.status.text() == ""
    for chart in screen.charts:
        assert chart.report is screen.report
        assert not chart.grab().isNull()  # paints through the report painters

    progress: list[float] = []
    screen.exporter.progressed.connect(lambda fraction, _what: progress.append(fraction))
    with qtbot.waitSignal(screen.exporter.exported, timeout=20_000):
        qtbot.keyClick(screen, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
        assert screen.export_progress.isVisible()
    assert not screen.export_progress.isVisible()
    assert str(target) in screen.status.text()
    data = json.loads(target.read_text(encoding="utf-8"))
    assert data["summary"]["reviews"] == answered
    assert progress and progress[-1] == 1.0
    # The next export (even after a restart) starts where this one went.
    assert suggested == [Path.home() / "viva-report.pdf"]
    again = StatisticsScreen(
        ReportService(HistoryRepository(seeded_database)),
        runner,
        choose_target=choose,
        state=UiState(tmp_path / "window-state.ini"),
    )
    qtbot.addWidget(again)
    assert again.suggested_target() == target


def test_an_empty_history_says_so(
    qtbot: QtBot, seeded_database: Database, runner: TaskRunner
) -> None:
    screen = StatisticsScreen(ReportService(HistoryRepository(seeded_database)), runner)
    qtbot.addWidget(screen)
    screen.on_shown()
    qtbot.waitUntil(lambda: screen.report is not None)
    assert "No activity yet" in screen.status.text()
    assert screen.tiles["Retention"].value.text() == "—"


@pytest.mark.parametrize("size", [(900, 650), (1920, 1080)], ids=["900x650", "1920x1080"])
def test_the_weakest_questions_fit_and_the_numbers_say_what_they_mean(
    qtbot: QtBot, seeded_database: Database, runner: TaskRunner, size: tuple[int, int]
) -> None:
    record_reviews(seeded_database, 8, score=0.3)
    screen = StatisticsScreen(ReportService(HistoryRepository(seeded_database)), runner)
    qtbot.addWidget(screen)
    screen.resize(*size)
    screen.show()
    screen.on_shown()
    qtbot.waitUntil(lambda: screen.report is not None and screen.weakest.rowCount() > 0)
    table = screen.weakest
    header = table.horizontalHeader()
    metrics = header.fontMetrics()
    for column in range(table.columnCount()):
        title = table.horizontalHeaderItem(column).text()
        assert header.sectionSize(column) >= metrics.horizontalAdvance(title), title
    line = table.fontMetrics().lineSpacing()
    for row in range(table.rowCount()):
        assert table.rowHeight(row) <= 5 * line + 12, row  # a row is a few lines, not a page
    assert "recalled" in screen.tiles["Retention"].hint.text()
    assert "predicts" in screen.tiles["Recall now"].hint.text()


def test_time_spent_reads_the_same_on_screen_and_in_the_report(
    qtbot: QtBot, seeded_database: Database, runner: TaskRunner
) -> None:
    from desktop.reports.sections import report_document

    record_reviews(seeded_database, 8, score=0.3)
    screen = StatisticsScreen(ReportService(HistoryRepository(seeded_database)), runner)
    qtbot.addWidget(screen)
    screen.show()
    screen.on_shown()
    qtbot.waitUntil(lambda: screen.report is not None)
    assert screen.report is not None
    shown = screen.tiles["Time spent"].value.text()
    assert shown in str(report_document(screen.report))  # what the PDF and HTML print
