"""The models screen: the models found with their metadata, picking one, adding a file, the
no-model state (the learner rates themselves), and the reliability check with its result."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from desktop.core.grading.calibration import Anchors, CalibrationResult, CaseOutcome
from desktop.core.grading.grades import Grader
from desktop.core.grading.model_files import ModelInfo, ModelSource
from desktop.core.grading.model_service import (
    NO_MODEL_SENTENCE,
    CheckProgress,
    ModelOptions,
    ModelState,
)
from desktop.grading.model_manager import ModelManager
from desktop.services.viva import Viva
from desktop.ui.models.model_controller import ModelController
from desktop.ui.models.screen import ModelsScreen
from desktop.ui.tasks import TaskRunner


@pytest.fixture
def manager(viva: Viva) -> Iterator[ModelManager]:
    service = viva.model_manager()
    yield service
    service.close()


def make_screen(
    qtbot: QtBot, controller: ModelController, runner: TaskRunner, chosen: Path | None = None
) -> ModelsScreen:
    def choose(_parent: QWidget) -> Path | None:
        return chosen

    screen = ModelsScreen(controller, runner, choose_file=choose)
    qtbot.addWidget(screen)
    screen.resize(1100, 700)
    screen.show()
    screen.on_shown()
    qtbot.waitUntil(lambda: screen.table.rowCount() >= 2)
    return screen


@pytest.mark.model
def test_pick_the_embedded_model_then_none(
    qtbot: QtBot, manager: ModelManager, runner: TaskRunner, tmp_path: Path
) -> None:
    bad = tmp_path / "broken.gguf"
    bad.write_bytes(b"not a model at all")
    controller = ModelController(manager, runner, auto_check=False)
    screen = make_screen(qtbot, controller, runner, chosen=bad)
    row = next(
        row
        for row in range(screen.table.rowCount())
        if screen.table.item(row, 6) is not None
        and screen.table.item(row, 6).text() == ModelSource.EMBEDDED.value
    )
    embedded = screen.table.item(row, 0)
    assert embedded is not None and "SmolLM2" in embedded.text()
    assert screen.table.item(row, 1).text() == "llama"
    assert screen.table.item(row, 2).text() == "135M"

    screen.table.selectRow(row)
    with qtbot.waitSignal(controller.state_changed, timeout=120_000):
        qtbot.keyClick(screen, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    assert controller.state.loaded
    assert controller.grader() is not None
    assert "reliability not measured yet" in screen.current.text()

    screen.table.selectRow(0)
    with qtbot.waitSignal(controller.state_changed, timeout=60_000):
        qtbot.mouseClick(screen.use_button, Qt.MouseButton.LeftButton)
    assert controller.grader() is None
    assert screen.current.text() == NO_MODEL_SENTENCE
    assert not screen.check_button.isEnabled()
    assert manager.options().model == "none"  # the choice is saved

    qtbot.keyClick(screen, Qt.Key.Key_O, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: "cannot be used" in screen.message.text())
    assert "broken.gguf" in screen.message.text()


class CheckedService:
    """A model service whose reliability check reports progress and a known result."""

    def __init__(self) -> None:
        self.loaded = ModelState(choice="tiny.gguf", name="tiny.gguf", loaded=True)
        self.checked = threading.Event()

    def discover(self) -> list[ModelInfo]:
        return [ModelInfo(Path("tiny.gguf"), ModelSource.USER, "tiny", "llama", 1, "1M")]

    def add_model_file(self, path: Path) -> ModelInfo:
        return ModelInfo(path, ModelSource.EXPLICIT, path.stem)

    def options(self) -> ModelOptions:
        return ModelOptions(model="tiny.gguf")

    def save_options(self, options: ModelOptions) -> None:
        pass

    def load(self, options: ModelOptions) -> ModelState:
        return self.loaded

    def state(self) -> ModelState:
        return self.loaded

    def check_reliability(
        self,
        *,
        cancel: threading.Event | None = None,
        progress: CheckProgress | None = None,
        remeasure: bool = False,
    ) -> CalibrationResult:
        outcomes = tuple(
            CaseOutcome(f"case {i}", float(i % 2 == 0), 0.9, 0.9, i < 9) for i in range(12)
        )
        for done in range(len(outcomes) + 1):
            if progress is not None:
                progress(done, len(outcomes))
        result = CalibrationResult.from_outcomes("tiny", "tiny.gguf", outcomes, Anchors(0.2, 0.8))
        self.loaded = ModelState("tiny.gguf", "tiny.gguf", True, result)
        return result

    def grader(self) -> Grader | None:
        return None

    def close(self) -> None:
        pass


def test_the_reliability_check_runs_after_loading_and_shows_its_result(
    qtbot: QtBot, runner: TaskRunner
) -> None:
    service = CheckedService()
    controller = ModelController(service, runner)
    screen = make_screen(qtbot, controller, runner)
    progress: list[tuple[int, int]] = []
    controller.check_progressed.connect(lambda done, total: progress.append((done, total)))
    with qtbot.waitSignal(controller.check_finished, timeout=10_000):
        controller.load(ModelOptions(model="tiny.gguf"))
    assert progress[-1] == (12, 12)
    assert "agrees with known grades in 9 of 12 cases" in screen.current.text()
    assert "Reliability measured" in screen.message.text()
