"""The models found, one row each with what its GGUF header says, plus the choice of none."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHeaderView, QTableWidget, QTableWidgetItem, QWidget

from desktop.core.grading.model_files import ModelInfo
from desktop.core.grading.model_service import NO_MODEL

COLUMNS = ("Model", "Architecture", "Parameters", "Quantization", "Context", "Size", "Found in")
MIB = 1024 * 1024


def size_text(size: int) -> str:
    return f"{size / (1024 * MIB):.1f} GiB" if size >= 1024 * MIB else f"{size / MIB:.0f} MiB"


class ModelTable(QTableWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(0, len(COLUMNS), parent)
        self.setObjectName("modelTable")
        self.setHorizontalHeaderLabels(list(COLUMNS))
        self.verticalHeader().setVisible(False)
        self.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.setSelectionMode(QTableWidget.SelectionMode.SingleSelection)
        self.setAlternatingRowColors(True)
        header = self.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column in range(1, len(COLUMNS)):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)

    def show_models(self, models: list[ModelInfo], chosen: str) -> None:
        self.setRowCount(len(models) + 1)
        none = ("No model — rate yourself", "", "", "", "", "", "")
        self._fill_row(0, none, NO_MODEL, "")
        selected = 0
        for row, model in enumerate(models, start=1):
            values = (
                model.name,
                model.architecture,
                model.parameters_text,
                model.quantization,
                f"{model.context_length:,}" if model.context_length else "",
                size_text(model.file_size),
                model.source.value,
            )
            self._fill_row(row, values, str(model.path), model.problem)
            if chosen in (str(model.path), model.source.value):
                selected = row
        self.selectRow(selected)

    def _fill_row(self, row: int, values: tuple[str, ...], choice: str, problem: str) -> None:
        for column, value in enumerate(values):
            item = QTableWidgetItem(value)
            item.setData(Qt.ItemDataRole.UserRole, choice)
            tip = f"{choice}\n{problem}" if problem else choice
            item.setToolTip(tip)
            if problem:
                item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsSelectable)
                if column == 0:
                    item.setText(f"{value} — cannot be used: {problem}")
            self.setItem(row, column, item)

    def selected_choice(self) -> str | None:
        """A GGUF path, or "none"; None when nothing usable is selected."""
        item = self.item(self.currentRow(), 0)
        if item is None or not item.flags() & Qt.ItemFlag.ItemIsSelectable:
            return None
        return str(item.data(Qt.ItemDataRole.UserRole))

    def select_choice(self, choice: str) -> bool:
        for row in range(self.rowCount()):
            item = self.item(row, 0)
            if item is not None and item.data(Qt.ItemDataRole.UserRole) == choice:
                self.selectRow(row)
                return True
        return False
