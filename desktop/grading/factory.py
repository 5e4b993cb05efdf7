"""Turning a model choice into a backend, and the one object that owns it.

A choice (`ModelSettings.model`) is "none", "embedded", a GGUF path or model file name, or the
http(s) URL of an OpenAI-compatible server's `/v1`. A local file is checked (GGUF header, memory)
before llama.cpp touches it, and opened first in a child process (`load_probe`), so a bad file
gives a clear `ModelError` and the app stays usable.
`ModelHost` closes the old model before a new one is loaded, so two never share the memory.
"""

from __future__ import annotations

import threading
from dataclasses import replace
from pathlib import Path

from desktop.core.errors import ModelError
from desktop.grading.backend import BackendUnavailable, CompletionBackend
from desktop.grading.llama.hardware import check_fits_in_memory, resolve_gpu_layers
from desktop.grading.llama.load_probe import ensure_loadable
from desktop.grading.llama.load_verdicts import LoadVerdicts
from desktop.grading.model_files.discovery import default_model, discover_models, resolve_model_file
from desktop.grading.model_files.gguf import GgufHeader, read_gguf_header
from desktop.grading.remote.remote import RemoteBackend
from desktop.grading.settings import NO_MODEL, ModelSettings
from desktop.paths import UserPaths


def choose_settings(
    model: str | None,
    saved: ModelSettings | None,
    paths: UserPaths,
    verdicts: LoadVerdicts | None = None,
) -> ModelSettings:
    """The settings to grade with: `model` (a `--model` choice) over the saved settings' model,
    the saved settings, or, when nothing was ever chosen, the first usable model discovered
    (a model the user added before the embedded one; a file whose load check failed, by
    `verdicts`, is passed over), else "none"."""
    base = saved or ModelSettings()
    if model:
        return base.with_model(model.strip())
    if saved is not None:
        return saved
    found = default_model((verdicts or LoadVerdicts()).mark_unusable(discover_models(paths)))
    return base.with_model(str(found.path) if found is not None else NO_MODEL)


def resolve_settings(settings: ModelSettings, paths: UserPaths | None = None) -> ModelSettings:
    """Settings with a local model named by its file path and `n_gpu_layers` a number, as
    llama.cpp takes them. Remote and "none" choices come back unchanged."""
    settings.validate()
    if not settings.is_local:
        return settings
    model_file = resolve_model_file(settings.model, paths or UserPaths.default())
    return replace(
        settings,
        model=str(model_file),
        n_gpu_layers=resolve_gpu_layers(settings.n_gpu_layers),
    )


def check_local_model(settings: ModelSettings) -> GgufHeader:
    """Reads the header of resolved local settings' file and checks it fits in memory now."""
    header = read_gguf_header(Path(settings.model))
    assert isinstance(settings.n_gpu_layers, int), "resolve_settings first"
    check_fits_in_memory(header, settings.n_ctx, settings.n_gpu_layers)
    return header


def build_backend(
    settings: ModelSettings,
    paths: UserPaths | None = None,
    verdicts: LoadVerdicts | None = None,
) -> CompletionBackend | None:
    """The backend for a model choice; None for "none" (grades rest on evidence alone).
    Raises `ModelError` for a choice that cannot work, before anything is loaded in this
    process: a local file is opened first in a child process unless `verdicts` say it worked
    before (without `verdicts` the verdict is kept for this process only)."""
    resolved = resolve_settings(settings, paths)
    if resolved.model == NO_MODEL:
        return None
    if resolved.is_remote:
        try:
            return RemoteBackend(resolved)
        except BackendUnavailable as error:
            raise ModelError(str(error)) from None
    check_local_model(resolved)
    ensure_loadable(Path(resolved.model), verdicts or LoadVerdicts())
    from desktop.grading.llama.local import LocalLlamaBackend

    return LocalLlamaBackend(resolved)


class ModelHost:
    """Owns the current backend. `use` checks the new choice first (a bad one leaves the
    current model in place: its header, and whether llama.cpp can open it, `load_probe`), then
    closes the current model, then builds the new one."""

    def __init__(
        self, paths: UserPaths | None = None, verdicts: LoadVerdicts | None = None
    ) -> None:
        self._paths = paths
        self._verdicts = verdicts or LoadVerdicts()
        self._lock = threading.Lock()
        self._backend: CompletionBackend | None = None
        self._settings: ModelSettings | None = None

    @property
    def backend(self) -> CompletionBackend | None:
        return self._backend

    @property
    def settings(self) -> ModelSettings | None:
        """The resolved settings of the current backend (None before the first `use`)."""
        return self._settings

    def use(self, settings: ModelSettings) -> CompletionBackend | None:
        with self._lock:
            resolved = resolve_settings(settings, self._paths)
            if resolved.is_local:  # a bad file fails before the swap
                read_gguf_header(Path(resolved.model))
                ensure_loadable(Path(resolved.model), self._verdicts)
            self._close_current()
            self._backend = build_backend(resolved, self._paths, self._verdicts)
            self._settings = resolved
            return self._backend

    def close(self) -> None:
        with self._lock:
            self._close_current()

    def _close_current(self) -> None:
        backend, self._backend, self._settings = self._backend, None, None
        if backend is not None:
            backend.close()
