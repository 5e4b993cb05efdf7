"""Loading the grading model and checking its reliability, off the GUI thread, with the state
announced to whoever shows it (home screen, models screen, status bar).

The reliability check of a model never measured runs by itself after loading, in the
background: a grade submitted meanwhile cancels it, and it starts again once the model lane is
idle, so the learner never waits for it.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from desktop.core.grading.calibration import CalibrationResult
from desktop.core.grading.grades import Grader
from desktop.core.grading.model_service import ModelOptions, ModelService, ModelState
from desktop.ui.tasks import Lane, Task, TaskContext, TaskFailure, TaskRunner


class ModelController(QObject):
    state_changed = Signal(object)  # ModelState
    loading = Signal(str)  # what is being loaded
    load_failed = Signal(object)  # TaskFailure
    check_progressed = Signal(int, int)
    check_finished = Signal(object)  # CalibrationResult | TaskFailure

    def __init__(
        self, service: ModelService, runner: TaskRunner, *, auto_check: bool = True
    ) -> None:
        super().__init__()
        self.service = service
        self._runner = runner
        self.auto_check = auto_check
        self.state = ModelState()
        self.is_loading = False
        self.check_task: Task[CalibrationResult] | None = None
        self._check_wanted = False
        runner.busy_changed.connect(self._on_runner_busy_changed)

    def grader(self) -> Grader | None:
        return self.service.grader() if self.state.loaded else None

    def load_saved(self) -> None:
        """Loads the saved choice (at start, in the background)."""
        self._runner.submit(
            Lane.DATABASE,
            "reading the model settings",
            lambda _c: self.service.options(),
            on_success=self.load,
            on_failure=self.load_failed.emit,
        )

    def load(self, options: ModelOptions) -> None:
        self.is_loading = True
        self.loading.emit(options.model)
        self._runner.submit(
            Lane.DATABASE,
            "saving the model settings",
            lambda _c: self.service.save_options(options),
            on_failure=self._on_load_failed,
        )
        self._runner.submit(
            Lane.MODEL,
            "loading the model",
            lambda _c: self.service.load(options),
            on_success=self._on_loaded,
            on_failure=self._on_load_failed,
        )

    def _on_loaded(self, state: ModelState) -> None:
        self.is_loading = False
        self.state = state
        self.state_changed.emit(state)
        self._check_wanted = self.auto_check and state.loaded and state.reliability is None
        if self._check_wanted:
            self.check_reliability(background=True)

    def _on_load_failed(self, failure: TaskFailure) -> None:
        self.is_loading = False
        self.load_failed.emit(failure)
        self.state = self.service.state()
        self.state_changed.emit(self.state)

    def check_reliability(self, *, background: bool = False) -> None:
        if self.check_task is not None or not self.state.loaded:
            return

        def work(context: TaskContext) -> CalibrationResult:
            return self.service.check_reliability(
                cancel=context.cancel,
                progress=lambda done, total: context.report((done, total)),
                remeasure=not background,  # the learner asked for a new measurement
            )

        self.check_task = self._runner.submit(
            Lane.MODEL,
            "checking the model's reliability",
            work,
            on_success=self._on_checked,
            on_failure=self._on_check_failed,
            on_progress=self._on_check_progress,
            on_cancel=self._on_check_cancelled,
            background=background,
        )

    def _on_check_progress(self, value: object) -> None:
        if isinstance(value, tuple) and len(value) == 2:
            self.check_progressed.emit(int(value[0]), int(value[1]))

    def _on_checked(self, result: CalibrationResult) -> None:
        self.check_task = None
        self._check_wanted = False
        self.state = self.service.state()
        self.state_changed.emit(self.state)
        self.check_finished.emit(result)

    def _on_check_failed(self, failure: TaskFailure) -> None:
        self.check_task = None
        self._check_wanted = False
        self.check_finished.emit(failure)

    def _on_check_cancelled(self) -> None:
        task, self.check_task = self.check_task, None
        # A check that gave way to a grade is not a failure: it runs again when idle.
        if task is not None and not task.background:
            self._check_wanted = False
            self.check_finished.emit(TaskFailure("The reliability check was cancelled."))

    def _on_runner_busy_changed(self, busy: bool) -> None:
        if not busy and self._check_wanted and self.check_task is None and self.state.loaded:
            self.check_reliability(background=True)
