"""Starting the GUI: the QApplication, the theme, the main window with its screens wired to the
services, and the model loaded in the background once the window is up."""

from __future__ import annotations

import logging
import sys
import time
from dataclasses import dataclass, field

from PySide6.QtCore import QTimer
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication

from desktop import APP_NAME
from desktop.core.grading.model_service import ModelState
from desktop.core.review.schedule_settings import load_schedule_settings
from desktop.ui.bank.anki_export import ChooseAnkiTarget, choose_anki_target
from desktop.ui.bank.import_flow import ChooseFiles, choose_notes_files
from desktop.ui.bank.screen import BankScreen
from desktop.ui.clock import Clock
from desktop.ui.error_dialog import build_error_box
from desktop.ui.home.screen import HomeScreen
from desktop.ui.home.summary import HomeSources
from desktop.ui.main_window import MainWindow
from desktop.ui.mock.screen import MockScreen
from desktop.ui.models.model_controller import ModelController
from desktop.ui.models.screen import ChooseModelFile, ModelsScreen, choose_model_file
from desktop.ui.practice.drafts import Drafts
from desktop.ui.practice.screen import PracticeScreen
from desktop.ui.services import AppServices, UiResources
from desktop.ui.settings.screen import SettingsScreen
from desktop.ui.statistics.export import ChooseExportTarget, choose_export_target
from desktop.ui.statistics.screen import StatisticsScreen
from desktop.ui.tasks import TaskFailure, TaskRunner
from desktop.ui.theme import Appearance, apply_theme
from desktop.ui.ui_state import UiState

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Choosers:
    """The file dialogs, replaceable in tests (a native dialog cannot be driven there)."""

    notes_files: ChooseFiles = choose_notes_files
    anki_target: ChooseAnkiTarget = choose_anki_target
    export_target: ChooseExportTarget = choose_export_target
    model_file: ChooseModelFile = choose_model_file


@dataclass(frozen=True)
class AppWindow:
    """The built window and its parts (tests and the screenshot script reach them here)."""

    window: MainWindow
    models: ModelController
    home: HomeScreen
    practice: PracticeScreen
    mock: MockScreen
    bank: BankScreen
    models_screen: ModelsScreen
    statistics: StatisticsScreen
    settings: SettingsScreen


@dataclass
class Options:
    clock: Clock | None = None
    auto_check: bool = True
    choosers: Choosers = field(default_factory=Choosers)


def build_window(
    app: QApplication,
    services: AppServices,
    resources: UiResources,
    runner: TaskRunner,
    options: Options | None = None,
) -> AppWindow:
    options = options or Options()
    state = UiState(resources.state_file)
    appearance = Appearance.parse(state.value("appearance", Appearance.SYSTEM.value))
    apply_theme(app, appearance, resources.styles_dir)

    def choose_appearance(chosen: Appearance) -> None:
        state.set_value("appearance", chosen.value)
        apply_theme(app, chosen, resources.styles_dir)

    models = ModelController(services.models, runner, auto_check=options.auto_check)
    home = HomeScreen(
        HomeSources(
            bank=services.bank,
            cards=services.cards,
            reviews=services.reviews,
            reports=services.reports,
            settings=lambda: load_schedule_settings(services.settings),
        ),
        runner,
        clock=options.clock,
    )
    practice = PracticeScreen(
        services.new_review_session, models.grader, runner, Drafts(state), clock=options.clock
    )
    mock = MockScreen(
        services.bank, services.mock_stores, models.grader, runner, clock=options.clock
    )
    bank = BankScreen(
        services.bank,
        services.history,
        services.importer,
        runner,
        choose_files=options.choosers.notes_files,
        export_anki=services.export_anki,
        choose_anki_target=options.choosers.anki_target,
        state=state,
    )
    models_screen = ModelsScreen(models, runner, choose_file=options.choosers.model_file)
    statistics = StatisticsScreen(
        services.reports, runner, choose_target=options.choosers.export_target, state=state
    )
    settings = SettingsScreen(
        services.settings,
        runner,
        services.places,
        appearance=appearance,
        on_appearance_chosen=choose_appearance,
    )
    window = MainWindow(
        [home, practice, mock, bank, models_screen, statistics, settings],
        state,
        runner,
        icons_dir=resources.icons_dir,
    )

    def on_model_state(model_state: ModelState) -> None:
        home.show_model_state(model_state)
        window.set_model_status(model_state.summary)

    def on_model_loading(_model: str) -> None:
        home.show_model_state(ModelState(), loading=True)
        window.set_model_status("Loading the grading model…")

    def on_model_failed(failure: TaskFailure) -> None:
        window.statusBar().showMessage(failure.message, 10_000)

    models.state_changed.connect(on_model_state)
    models.check_progressed.connect(home.show_check_progress)
    models.loading.connect(on_model_loading)
    models.load_failed.connect(on_model_failed)
    home.decks_changed.connect(practice.set_decks)
    practice.controller.reviewed.connect(home.refresh)
    mock.controller.recorded.connect(home.refresh)
    bank.import_flow.imported.connect(lambda _summary: home.refresh())
    window.restore()
    return AppWindow(
        window, models, home, practice, mock, bank, models_screen, statistics, settings
    )


def _application() -> QApplication:
    existing = QApplication.instance()
    if isinstance(existing, QApplication):
        return existing
    app = QApplication(sys.argv[:1])
    app.setApplicationName(APP_NAME)
    app.setOrganizationName(APP_NAME)
    app.setDesktopFileName("viva")
    return app


def run_app(
    services: AppServices,
    resources: UiResources,
    *,
    started_at: float,
    exit_when_ready: bool = False,
) -> int:
    """Shows the window, then loads the model in the background; returns the exit status.

    `started_at` is the process's `time.perf_counter()` at start: the time to an interactive
    window is logged (and printed and the app closed when `exit_when_ready`, for measuring).
    """
    app = _application()
    app.setWindowIcon(QIcon(str(resources.icons_dir / "viva.svg")))
    runner = TaskRunner()
    built = build_window(app, services, resources, runner)
    window = built.window
    window.show()

    def on_ready() -> None:
        elapsed_ms = (time.perf_counter() - started_at) * 1000
        log.info("window interactive %.0f ms after start", elapsed_ms)
        built.models.load_saved()
        if exit_when_ready:
            print(f"interactive_ms={elapsed_ms:.0f}", flush=True)
            window.close()

    QTimer.singleShot(0, on_ready)  # the first turn of the event loop: the window is drawn
    status = app.exec()
    runner.shutdown()
    return int(status)


def show_startup_error(title: str, failure: TaskFailure) -> int:
    """For a database that cannot be opened: say why and what to do, then exit."""
    app = _application()  # kept alive while the box is shown
    box = build_error_box(None, title, failure)
    box.setWindowTitle(f"{APP_NAME}: {title}")
    box.exec()
    app.processEvents()
    return 2
