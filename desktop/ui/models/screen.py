"""The models screen: the GGUF files found (with what their headers say), the choice of one or
of none, how to run it (threads, GPU layers, context), loading progress and the reliability
check with its result."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop.core.grading.calibration import CalibrationResult
from desktop.core.grading.model_files import ModelInfo
from desktop.core.grading.model_service import NO_MODEL, ModelOptions, ModelState
from desktop.ui import shortcuts
from desktop.ui.error_dialog import show_failure
from desktop.ui.models.model_controller import ModelController
from desktop.ui.models.model_table import ModelTable
from desktop.ui.models.run_options import RunOptions
from desktop.ui.screen import Screen, muted_label, title_label
from desktop.ui.tasks import Lane, TaskFailure, TaskRunner

ChooseModelFile = Callable[[QWidget], Path | None]


def choose_model_file(parent: QWidget) -> Path | None:
    path, _filter = QFileDialog.getOpenFileName(
        parent, "Add a model file", str(Path.home()), "GGUF models (*.gguf);;All files (*)"
    )
    return Path(path) if path else None


class ModelsScreen(Screen):
    name = "models"
    title = "Models"
    icon = "models"

    def __init__(
        self,
        controller: ModelController,
        runner: TaskRunner,
        *,
        choose_file: ChooseModelFile = choose_model_file,
    ) -> None:
        super().__init__()
        self.controller = controller
        self._runner = runner
        self._choose_file = choose_file
        self.current = QLabel()
        self.current.setObjectName("currentModel")
        self.current.setProperty("role", "section")
        self.current.setWordWrap(True)
        self.table = ModelTable()
        self.options = RunOptions()
        self.use_button = QPushButton("Use selected model")
        self.use_button.setObjectName("useModelButton")
        self.use_button.setProperty("primary", True)
        self.use_button.setToolTip(shortcuts.LOAD_MODEL.keys)
        self.add_button = QPushButton("Add a model file…")
        self.add_button.setObjectName("addModelButton")
        self.add_button.setToolTip(shortcuts.ADD_MODEL.keys)
        self.check_button = QPushButton("Check reliability")
        self.check_button.setObjectName("checkReliabilityButton")
        self.progress = QProgressBar()
        self.progress.setObjectName("modelProgress")
        self.progress.setVisible(False)
        self.message = muted_label()
        self.message.setObjectName("modelMessage")
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addStretch(1)
        buttons.addWidget(self.check_button)
        buttons.addWidget(self.use_button)
        layout = QVBoxLayout(self)
        layout.addWidget(title_label("Models"))
        layout.addWidget(self.current)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.options)
        layout.addLayout(buttons)
        layout.addWidget(self.progress)
        layout.addWidget(self.message)
        self.use_button.clicked.connect(self.use_selected)
        self.add_button.clicked.connect(self.add_file)
        self.check_button.clicked.connect(lambda: controller.check_reliability())
        QShortcut(QKeySequence(shortcuts.LOAD_MODEL.keys), self, self.use_selected)
        QShortcut(QKeySequence(shortcuts.ADD_MODEL.keys), self, self.add_file)
        controller.state_changed.connect(self._on_state_changed)
        controller.loading.connect(self._on_loading)
        controller.load_failed.connect(self._on_load_failed)
        controller.check_progressed.connect(self._on_check_progressed)
        controller.check_finished.connect(self._on_check_finished)
        self._on_state_changed(controller.state)

    def on_shown(self) -> None:
        self.refresh()

    def refresh(self) -> None:
        service = self.controller.service
        self._runner.submit(
            Lane.DATABASE,
            "looking for models",
            lambda _c: (service.discover(), service.options()),
            on_success=self._on_discovered,
            on_failure=lambda failure: self.message.setText(failure.message),
        )

    def _on_discovered(self, found: tuple[list[ModelInfo], ModelOptions]) -> None:
        models, options = found
        self.table.show_models(models, options.model)
        self.options.show_options(options)

    def use_selected(self) -> None:
        choice = self.table.selected_choice()
        if choice is None or self.controller.is_loading:
            return
        self.controller.load(self.options.options(choice))

    def add_file(self) -> None:
        path = self._choose_file(self)
        if path is None:
            return
        self._runner.submit(
            Lane.DATABASE,
            f"reading {path.name}",
            lambda _c: self.controller.service.add_model_file(path),
            on_success=self._on_file_added,
        )

    def _on_file_added(self, info: ModelInfo) -> None:
        if info.usable:
            self.message.setText(f"Added {info.name}. Select it and press Use.")
        else:
            self.message.setText(f"{info.path.name} cannot be used: {info.problem}")
        self.refresh()

    def _on_loading(self, model: str) -> None:
        self.progress.setRange(0, 0)
        self.progress.setVisible(True)
        self.use_button.setEnabled(False)
        what = "no model" if model == NO_MODEL else Path(model).name
        self.message.setText(f"Loading {what}…")

    def _on_state_changed(self, state: ModelState) -> None:
        self.progress.setVisible(self.controller.check_task is not None)
        self.use_button.setEnabled(True)
        self.check_button.setEnabled(state.loaded)
        self.current.setText(("In use: " if state.loaded else "") + state.summary)
        if state.problem:
            self.message.setText(state.problem)
        elif not self.controller.is_loading and self.message.text().startswith("Loading"):
            self.message.setText("")

    def _on_load_failed(self, failure: TaskFailure) -> None:
        self.progress.setVisible(False)
        self.use_button.setEnabled(True)
        show_failure(self, "The model could not be loaded", failure)

    def _on_check_progressed(self, done: int, total: int) -> None:
        self.progress.setRange(0, max(1, total))
        self.progress.setValue(done)
        self.progress.setVisible(True)
        self.message.setText(f"Checking reliability: {done} of {total} known answers graded…")

    def _on_check_finished(self, outcome: CalibrationResult | TaskFailure) -> None:
        self.progress.setVisible(False)
        if isinstance(outcome, CalibrationResult):
            self.message.setText(f"Reliability measured: {outcome.sentence}.")
        else:
            self.message.setText(outcome.message)
