"""The app's grading model: the `core.grading.model_service.ModelService` the screens use, built
from the grading package's discovery, settings, model host, engine and calibration.

All model work (load, grade, reliability check) happens on one thread, the task runner's model
lane; `state()` may be read from the GUI thread, hence the small lock around it.
"""

from __future__ import annotations

import threading
from dataclasses import replace
from pathlib import Path

from desktop.core.errors import ModelError, VivaError
from desktop.core.grading.calibration import CalibrationCache, CalibrationResult
from desktop.core.grading.grades import Grader
from desktop.core.grading.model_files import ModelInfo, ModelSource
from desktop.core.grading.model_service import CheckProgress, ModelOptions, ModelState
from desktop.core.settings import SettingsStore
from desktop.grading.backend import BackendError, CompletionBackend
from desktop.grading.factory import ModelHost, choose_settings
from desktop.grading.judging import calibration
from desktop.grading.judging.engine import GradingEngine
from desktop.grading.llama.load_verdicts import LoadVerdicts
from desktop.grading.model_files.discovery import describe_model, discover_models
from desktop.grading.settings import (
    NO_MODEL,
    ModelSettings,
    automatic_threads,
    load_model_settings,
    save_model_settings,
)
from desktop.paths import UserPaths

ADDED_FILES_GROUP = "model_files"


def _model_fingerprint(backend: CompletionBackend, settings: ModelSettings) -> str:
    """The calibration cache key's model part: the file's content, or the server's URL."""
    fingerprint = getattr(backend, "fingerprint", None)
    if isinstance(fingerprint, str):
        return fingerprint
    return settings.model


class ModelManager:
    def __init__(
        self,
        paths: UserPaths,
        settings: SettingsStore,
        calibrations: CalibrationCache,
        *,
        include_embedded: bool = True,
    ) -> None:
        self._paths = paths
        self._settings = settings
        self._calibrations = calibrations
        self._include_embedded = include_embedded
        self._verdicts = LoadVerdicts(settings)
        self._host = ModelHost(paths, self._verdicts)
        self._engine: GradingEngine | None = None
        self._state = ModelState()
        self._lock = threading.Lock()
        # Cases measured by a check that gave way to a grade, per calibration key.
        self._measured_so_far: dict[str, list[float | None]] = {}

    def added_files(self) -> list[Path]:
        saved = self._settings.load_group(ADDED_FILES_GROUP) or {}
        return [Path(str(path)) for path in saved.get("paths", [])]

    def discover(self) -> list[ModelInfo]:
        found = discover_models(
            self._paths, self.added_files(), include_embedded=self._include_embedded
        )
        return self._verdicts.mark_unusable(found)

    def add_model_file(self, path: Path) -> ModelInfo:
        (info,) = self._verdicts.mark_unusable([describe_model(path, ModelSource.EXPLICIT)])
        if info.usable:
            known = [str(known) for known in self.added_files()]
            if str(path) not in known:
                self._settings.save_group(ADDED_FILES_GROUP, {"paths": [*known, str(path)]})
        return info

    def _saved_settings(self) -> ModelSettings:
        saved = load_model_settings(self._settings)
        return choose_settings(None, saved, self._paths, self._verdicts)

    def options(self) -> ModelOptions:
        settings = self._saved_settings()
        return ModelOptions(
            model=settings.model,
            n_ctx=settings.n_ctx,
            n_threads=settings.n_threads,
            n_gpu_layers=settings.n_gpu_layers,
            timeout_s=settings.timeout_s,
        )

    def _to_settings(self, options: ModelOptions) -> ModelSettings:
        base = load_model_settings(self._settings) or ModelSettings()
        chosen = replace(
            base,
            model=options.model,
            n_ctx=options.n_ctx,
            n_threads=options.n_threads or automatic_threads(),
            n_gpu_layers=options.n_gpu_layers,
            timeout_s=options.timeout_s,
        )
        chosen.validate()
        return chosen

    def save_options(self, options: ModelOptions) -> None:
        save_model_settings(self._settings, self._to_settings(options))

    def load(self, options: ModelOptions) -> ModelState:
        self._drop_engine()
        if options.is_none:
            self._host.close()
            return self._set_state(ModelState(choice=NO_MODEL))
        try:
            settings = self._to_settings(options)
            backend = self._host.use(settings)
            if backend is None:
                return self._set_state(ModelState(choice=NO_MODEL))
            loader = getattr(backend, "load", None)
            if callable(loader):
                loader()  # load now, in the background, not at the first grade
            resolved = self._host.settings or settings
            reliability = self._calibrations.load(self._cache_key(backend, resolved))
        except (VivaError, BackendError) as error:
            self._host.close()
            return self._set_state(ModelState(choice=options.model, problem=str(error)))
        engine = GradingEngine(backend, reliability=reliability, timeout_s=resolved.timeout_s)
        with self._lock:
            self._engine = engine
        return self._set_state(
            ModelState(
                choice=options.model,
                name=backend.identity,
                loaded=True,
                reliability=reliability,
            )
        )

    def _cache_key(self, backend: CompletionBackend, settings: ModelSettings) -> str:
        return calibration.calibration_key(
            _model_fingerprint(backend, settings), calibration.held_in_cases()
        )

    def check_reliability(
        self,
        *,
        cancel: threading.Event | None = None,
        progress: CheckProgress | None = None,
        remeasure: bool = False,
    ) -> CalibrationResult:
        """The loaded model's measured reliability: from the cache, or measured now (always
        with `remeasure`) and kept."""
        backend = self._host.backend
        settings = self._host.settings
        with self._lock:
            engine = self._engine
        if backend is None or settings is None or engine is None:
            raise ModelError("No model is loaded: choose and load a model first.")
        key = self._cache_key(backend, settings)
        try:
            result = None if remeasure else self._calibrations.load(key)
            if result is None:
                measured = self._measured_so_far.setdefault(key, [])
                if remeasure:
                    measured.clear()
                result = calibration.measure(
                    backend,
                    calibration.held_in_cases(),
                    model_key=key,
                    cancel=cancel,
                    progress=progress,
                    raw_scores=measured,
                )
                self._calibrations.save(result)
                del self._measured_so_far[key]
        except BackendError as error:
            raise ModelError(f"The reliability check stopped: {error}") from error
        engine.use_calibration(result)
        with self._lock:
            self._state = replace(self._state, reliability=result)
        return result

    def state(self) -> ModelState:
        with self._lock:
            return self._state

    def grader(self) -> Grader | None:
        with self._lock:
            return self._engine

    def close(self) -> None:
        self._drop_engine()
        self._host.close()

    def _drop_engine(self) -> None:
        with self._lock:
            self._engine = None
            self._state = ModelState()

    def _set_state(self, state: ModelState) -> ModelState:
        with self._lock:
            self._state = state
        return state
