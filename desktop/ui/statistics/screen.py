"""The statistics screen: period and topic, summary tiles, four charts, the topics and the
weakest questions, and Export. The report is built on the database lane."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from desktop.core.reports.history import HistoryScope
from desktop.core.reports.report import ProgressReport, ReportRequest
from desktop.core.reports.service import ChartKind, ProgressReports
from desktop.ui import shortcuts
from desktop.ui.error_dialog import show_failure
from desktop.ui.screen import Screen, muted_label, title_label
from desktop.ui.statistics import tables
from desktop.ui.statistics.chart_widget import ChartWidget
from desktop.ui.statistics.export import ChooseExportTarget, ReportExporter, choose_export_target
from desktop.ui.tasks import Lane, TaskFailure, TaskRunner
from desktop.ui.ui_state import UiState

CHART_TITLES = {
    ChartKind.REVIEWS_PER_DAY: "Reviews per day",
    ChartKind.DUE_FORECAST: "Due in the next 30 days",
    ChartKind.SCORE_BY_TOPIC: "Average score by topic",
    ChartKind.QUESTION_STATES: "Questions by state",
}
PERIODS = {"Last 30 days": 30, "Last 90 days": 90, "Last 365 days": 365, "All time": 0}
ALL_TOPICS = "All topics"


_LAST_EXPORT = "export/last_target"


class StatisticsScreen(Screen):
    name = "statistics"
    title = "Statistics"
    icon = "statistics"

    def __init__(
        self,
        reports: ProgressReports,
        runner: TaskRunner,
        *,
        choose_target: ChooseExportTarget = choose_export_target,
        state: UiState | None = None,
    ) -> None:
        super().__init__()
        self._reports = reports
        self._runner = runner
        self._choose_target = choose_target
        self._state = state
        self.report: ProgressReport | None = None
        self._loading = False
        self.exporter = ReportExporter(reports, runner)
        self.exporter.progressed.connect(self._on_export_progressed)
        self.exporter.exported.connect(self._on_exported)
        self.exporter.failed.connect(self._on_export_failed)

        self.period = QComboBox()
        self.period.setObjectName("periodChoice")
        self.period.addItems(list(PERIODS))
        self.topic = QComboBox()
        self.topic.setObjectName("topicChoice")
        self.topic.addItem(ALL_TOPICS)
        # Topic paths are long: the menu shows them whole, the closed box does not grow.
        self.topic.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.topic.setMinimumContentsLength(12)
        self.export_button = QPushButton("Export…")
        self.export_button.setObjectName("exportButton")
        self.export_button.setToolTip(shortcuts.EXPORT.keys)
        self.export_progress = QProgressBar()
        self.export_progress.setObjectName("exportProgress")
        self.export_progress.setRange(0, 100)
        self.export_progress.setVisible(False)
        self.status = muted_label()
        self.status.setObjectName("statisticsStatus")
        top = QHBoxLayout()
        top.addWidget(title_label("Statistics"))
        top.addStretch(1)
        top.addWidget(QLabel("Period"))
        top.addWidget(self.period)
        top.addWidget(QLabel("Topic"))
        top.addWidget(self.topic)
        top.addWidget(self.export_button)

        self.tiles = {caption: tables.StatTile(caption) for caption in _TILE_CAPTIONS}
        tile_grid = QGridLayout()
        for index, tile in enumerate(self.tiles.values()):
            tile_grid.addWidget(tile, index // 4, index % 4)
        self.charts = [ChartWidget(reports, kind) for kind in ChartKind]
        chart_grid = QGridLayout()
        for index, chart in enumerate(self.charts):
            box = QVBoxLayout()
            caption = QLabel(CHART_TITLES.get(chart.kind, chart.kind.value))
            caption.setProperty("role", "section")
            box.addWidget(caption)
            box.addWidget(chart, 1)
            chart_grid.addLayout(box, index // 2, index % 2)
        self.topics_table = tables.topic_table()
        self.weakest = tables.weakest_table()

        content = QWidget()
        body = QVBoxLayout(content)
        body.addLayout(tile_grid)
        body.addLayout(chart_grid)
        body.addWidget(QLabel("Topics"))
        body.addWidget(self.topics_table)
        body.addWidget(QLabel("Weakest questions"))
        body.addWidget(self.weakest)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(content)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.status)
        layout.addWidget(self.export_progress)
        layout.addWidget(scroll, 1)

        self.period.currentIndexChanged.connect(lambda _index: self.refresh())
        self.topic.currentIndexChanged.connect(lambda _index: self.refresh())
        self.export_button.clicked.connect(self.export)
        QShortcut(QKeySequence(shortcuts.EXPORT.keys), self, self.export)

    def on_shown(self) -> None:
        self.refresh()

    def request(self) -> ReportRequest:
        days = PERIODS[self.period.currentText()]
        start = date.today() - timedelta(days=days - 1) if days else None
        topic = self.topic.currentText()
        scope = HistoryScope(topics=(topic,)) if topic and topic != ALL_TOPICS else HistoryScope()
        return ReportRequest(start=start, scope=scope)

    def refresh(self) -> None:
        if self._loading:
            return
        self._loading = True
        self.status.setText("Reading your history…")
        request = self.request()
        self._runner.submit(
            Lane.DATABASE,
            "building the statistics",
            lambda _context: self._reports.build_report(request),
            on_success=self._on_report_built,
            on_failure=self._on_report_failed,
        )

    def _on_report_built(self, report: ProgressReport) -> None:
        self._loading = False
        self.report = report
        self._offer_topics(report)
        for caption, value in tables.summary_values(report).items():
            self.tiles[caption].value.setText(value)
        for chart in self.charts:
            chart.set_report(report)
        tables.fill_topics(self.topics_table, report)
        tables.fill_weakest(self.weakest, report)
        self.status.setText(
            ""
            if report.has_activity
            else "No activity yet in this period: answer a few "
            "questions and your progress appears here."
        )

    def _offer_topics(self, report: ProgressReport) -> None:
        known = {self.topic.itemText(i) for i in range(self.topic.count())}
        for topic in report.topics:
            if topic.topic not in known:
                self.topic.blockSignals(True)
                self.topic.addItem(topic.topic)
                self.topic.blockSignals(False)

    def _on_report_failed(self, failure: TaskFailure) -> None:
        self._loading = False
        self.status.setText(failure.message)

    def suggested_target(self) -> Path:
        """Where the export dialog starts: the last file exported (its folder and format),
        else a PDF in the home folder."""
        last = self._state.value(_LAST_EXPORT) if self._state is not None else ""
        return Path(last) if last else Path.home() / "viva-report.pdf"

    def export(self) -> None:
        if self.report is None or self.exporter.running:
            return
        target = self._choose_target(self, self.suggested_target())
        if target is None:
            return
        report_format, out = target
        if self._state is not None:
            self._state.set_value(_LAST_EXPORT, str(out))
        self.export_progress.setValue(0)
        self.export_progress.setVisible(True)
        self.export_button.setEnabled(False)
        self.status.setText(f"Exporting to {out}…")
        self.exporter.export(self.report, report_format, out)

    def _on_export_progressed(self, fraction: float, what: str) -> None:
        self.export_progress.setValue(round(fraction * 100))
        self.export_progress.setFormat(f"{what} %p%")

    def _on_exported(self, paths: tuple[Path, ...]) -> None:
        self.export_progress.setVisible(False)
        self.export_button.setEnabled(True)
        written = ", ".join(str(path) for path in paths)
        self.status.setText(f"Report saved: {written}")
        self.status_changed.emit(f"Report saved: {written}")

    def _on_export_failed(self, failure: TaskFailure) -> None:
        self.export_progress.setVisible(False)
        self.export_button.setEnabled(True)
        self.status.setText(failure.message)
        show_failure(self, "The report could not be saved", failure)


_TILE_CAPTIONS = (
    "Reviews",
    "Day streak",
    "Retention",
    "Recall now",
    "Time spent",
    "Average score",
    "Ungraded / self-rated",
    "Mock interviews",
)
