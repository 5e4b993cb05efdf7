"""The window starts when the saved model makes llama.cpp abort (a copy of the embedded model
that claims no layers): the real model manager probes the file in a child process off the GUI
thread, and the window says the model cannot be used and why, with grades left to word matching
and self-rating. Were the file loaded in this process, the test run itself would abort."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from desktop.grading.settings import ModelSettings, save_model_settings
from desktop.paths import UserPaths, resources_dir
from desktop.services.viva import Viva
from desktop.ui.application import Options, build_window
from desktop.ui.services import AppServices, UiResources
from desktop.ui.tasks import TaskRunner
from tests.grading.gguf_edits import with_block_count


def test_the_window_starts_and_says_why_the_saved_model_is_not_used(
    qtbot: QtBot,
    viva: Viva,
    services: AppServices,
    user_paths: UserPaths,
    embedded_gguf: Path,
    tmp_path: Path,
) -> None:
    bad = with_block_count(embedded_gguf, tmp_path / "no-layers.gguf", 0)
    save_model_settings(viva.settings, ModelSettings(model=str(bad), n_threads=1))
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    resources = resources_dir()
    ui = UiResources(
        resources / "styles", resources / "icons", user_paths.data_dir / "window-state.ini"
    )
    runner = TaskRunner()
    built = build_window(app, services, ui, runner, Options(auto_check=False))
    qtbot.addWidget(built.window)
    try:
        built.window.show()
        built.models.load_saved()  # as the app does once the window is drawn
        qtbot.waitUntil(lambda: bool(built.models.state.problem), timeout=60_000)
        assert not built.models.state.loaded and built.models.grader() is None
        status = built.window.model_label.text()
        assert status.startswith("No model: you rate yourself")
        assert f"{bad} cannot be loaded: llama.cpp stopped while loading it" in status
        assert "stopped while loading it" in built.home.model_label.text()
    finally:
        built.window.close()
        runner.shutdown()
        services.models.close()
