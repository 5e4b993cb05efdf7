"""A widget that paints one report chart with the report painters, so the chart on screen is
the very drawing that goes into the PDF and HTML exports."""

from __future__ import annotations

from PySide6.QtCore import QRectF
from PySide6.QtGui import QPainter, QPaintEvent, QPalette
from PySide6.QtWidgets import QSizePolicy, QWidget

from desktop.core.reports.report import ProgressReport
from desktop.core.reports.service import ChartKind, ChartStyle, ProgressReports


class ChartWidget(QWidget):
    def __init__(self, reports: ProgressReports, kind: ChartKind, parent: QWidget | None = None):
        super().__init__(parent)
        self._reports = reports
        self.kind = kind
        self.report: ProgressReport | None = None
        self.setObjectName(f"chart_{kind.value}")
        self.setMinimumSize(280, 190)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)

    def set_report(self, report: ProgressReport | None) -> None:
        self.report = report
        self.update()

    def chart_style(self) -> ChartStyle:
        dark = self.palette().color(QPalette.ColorRole.Base).lightness() < 128
        family = self.font().family()
        return ChartStyle.dark(family) if dark else ChartStyle(font_family=family)

    def paintEvent(self, event: QPaintEvent) -> None:
        if self.report is None:
            return
        painter = QPainter(self)
        try:
            painter.setRenderHint(QPainter.RenderHint.Antialiasing)
            rect = QRectF(self.rect()).adjusted(4, 4, -4, -4)
            self._reports.paint_chart(self.kind, painter, rect, self.report, self.chart_style())
        finally:
            painter.end()
