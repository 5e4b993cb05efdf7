"""The report's numbers as widgets: summary tiles, the topic table, the weakest questions."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QFrame,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.core.reports.durations import duration
from desktop.core.reports.report import ProgressReport


def percent(value: float | None) -> str:
    return "—" if value is None else f"{value:.0%}"


# What the tiles whose numbers can seem to disagree mean: shown under their caption.
TILE_HINTS = {
    "Retention": "of this period's reviews were recalled (not Again)",
    "Recall now": "chance, as FSRS predicts it, of recalling a studied question today "
    "(a question just reviewed counts near 100%)",
}


class StatTile(QFrame):
    def __init__(self, caption: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setProperty("card", True)
        self.value = QLabel("—")
        self.value.setProperty("role", "tileValue")
        label = QLabel(caption)
        label.setProperty("role", "muted")
        layout = QVBoxLayout(self)
        layout.addWidget(self.value)
        layout.addWidget(label)
        hint = TILE_HINTS.get(caption)
        if hint is not None:
            self.hint = QLabel(hint)
            self.hint.setProperty("role", "muted")
            self.hint.setWordWrap(True)
            layout.addWidget(self.hint)
            self.setToolTip(f"{caption}: {hint}.")


def summary_values(report: ProgressReport) -> dict[str, str]:
    activity = report.activity
    mastery = report.mastery
    grading = report.grading
    return {
        "Reviews": str(activity.reviews),
        "Day streak": f"{activity.current_streak} (best {activity.longest_streak})",
        "Retention": percent(mastery.retention),
        "Recall now": percent(mastery.retrievability),
        "Time spent": duration(activity.duration_ms),
        "Average score": percent(report.quality.average_score),
        "Ungraded / self-rated": f"{grading.ungraded} / {grading.self_rated}",
        "Mock interviews": str(activity.mock_interviews),
    }


def _table(headers: list[str], name: str) -> QTableWidget:
    table = QTableWidget(0, len(headers))
    table.setObjectName(name)
    table.setHorizontalHeaderLabels(headers)
    table.verticalHeader().setVisible(False)
    table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
    table.setAlternatingRowColors(True)
    table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
    table.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    return table


def _fill(table: QTableWidget, rows: list[list[str]]) -> None:
    table.setRowCount(len(rows))
    for row, values in enumerate(rows):
        for column, value in enumerate(values):
            item = QTableWidgetItem(value)
            if column > 0:
                item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
            table.setItem(row, column, item)
    # Every row shows: the page scrolls, the table never takes the mouse wheel for itself.
    table.resizeRowsToContents()
    height = table.horizontalHeader().height() + 2 * table.frameWidth()
    height += sum(table.rowHeight(row) for row in range(table.rowCount()))
    table.setFixedHeight(height + 2)


def topic_table() -> QTableWidget:
    return _table(["Topic", "Questions", "Reviews", "Retention", "Avg score"], "topicTable")


def fill_topics(table: QTableWidget, report: ProgressReport) -> None:
    _fill(
        table,
        [
            [
                topic.topic,
                str(topic.questions),
                str(topic.reviews),
                percent(topic.retention),
                percent(topic.average_score),
            ]
            for topic in report.topics
        ],
    )


_MISSED_CHARS = 110


def weakest_table() -> QTableWidget:
    table = _table(["Question", "Topic", "Avg score", "Most often missed"], "weakestTable")
    header = table.horizontalHeader()
    # The question and what it misses share the width; topic and score take what they need.
    header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
    header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
    header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
    table.setWordWrap(True)
    return table


def _shortened(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def fill_weakest(table: QTableWidget, report: ProgressReport) -> None:
    rows, tips = [], []
    for question in report.quality.weakest_questions:
        points = question.missed_key_points
        missed = _shortened(points[0].text, _MISSED_CHARS) if points else "—"
        if len(points) > 1:
            missed += f" (+{len(points) - 1} more)"
        leaf = question.topic.split(" > ")[-1]
        rows.append(
            [_shortened(question.prompt, 160), leaf, percent(question.average_score), missed]
        )
        tips.append((question.prompt, question.topic, "\n".join(p.text for p in points)))
    _fill(table, rows)
    for row, tip in enumerate(tips):
        for column, text in zip((0, 1, 3), tip, strict=True):
            item = table.item(row, column)
            if item is not None and text:
                item.setToolTip(text)
