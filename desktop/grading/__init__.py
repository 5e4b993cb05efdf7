"""Grading: the only package that uses llama_cpp. Model discovery, loading, prompts,
constrained output, key-point evidence, calibration and the remote (OpenAI-compatible) backend.

Its parts, each depending only on those after it:

- `model_manager`, `factory`: the app's grading model, and a model choice turned into a backend;
- `judging`: prompts, the model's verdicts, calibration and the combined score;
- `llama`: the in-process llama.cpp backend; `remote`: the backend for an OpenAI-compatible server;
- `evidence`: what the answer's words show without a model;
  `model_files`: finding, reading and installing GGUF files;
- `backend`, `settings`: the interface every backend offers, and the typed model settings.

The rest of the app imports only this package, by the names in `__all__`. Each name loads its
module when first used, so `import desktop.grading` loads nothing else: llama.cpp, the grading
engine and the model files' readers load only where a command or screen asks for them (and the
chat template child, started as a module of this package, loads only what it needs).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from desktop.grading.backend import (
        BackendError,
        BackendTimeout,
        BackendUnavailable,
        ChatMessage,
        Completion,
        CompletionBackend,
        MalformedReply,
        TextCallback,
    )
    from desktop.grading.factory import (
        build_backend,
        check_local_model,
        choose_settings,
        resolve_settings,
    )
    from desktop.grading.judging.batch import grade_items as grade_batch_items
    from desktop.grading.judging.batch import read_items as read_batch_items
    from desktop.grading.judging.engine import GradingEngine
    from desktop.grading.llama.hardware import (
        GIB,
        capture_offload_report,
        estimate_memory,
        gpu_offload_supported,
        resolve_gpu_layers,
    )
    from desktop.grading.llama.load_probe import PROBE_COMMAND, ensure_loadable
    from desktop.grading.llama.load_probe_child import probe_file
    from desktop.grading.llama.load_verdicts import LoadVerdicts
    from desktop.grading.llama.template_worker import main as run_chat_template_worker
    from desktop.grading.model_files.catalog import CATALOG, RECOMMENDED, catalog_model
    from desktop.grading.model_files.discovery import (
        EMBEDDED_NAME,
        default_model,
        describe_model,
        discover_models,
        embedded_model_path,
    )
    from desktop.grading.model_files.model_install import install as install_model
    from desktop.grading.model_manager import ModelManager
    from desktop.grading.settings import (
        GPU_LAYERS_AUTO,
        NO_MODEL,
        ModelSettings,
        load_model_settings,
        save_model_settings,
    )

# Where each public name is defined: the module, and the name there when it differs.
_SOURCES: dict[str, tuple[str, str]] = {}


def _export(module: str, *names: str, **renamed: str) -> None:
    _SOURCES.update({name: (module, name) for name in names})
    _SOURCES.update({public: (module, name) for public, name in renamed.items()})


_export(
    "desktop.grading.backend",
    "BackendError",
    "BackendTimeout",
    "BackendUnavailable",
    "ChatMessage",
    "Completion",
    "CompletionBackend",
    "MalformedReply",
    "TextCallback",
)
_export(
    "desktop.grading.settings",
    "GPU_LAYERS_AUTO",
    "NO_MODEL",
    "ModelSettings",
    "load_model_settings",
    "save_model_settings",
)
_export(
    "desktop.grading.factory",
    "build_backend",
    "check_local_model",
    "choose_settings",
    "resolve_settings",
)
_export("desktop.grading.model_manager", "ModelManager")
_export("desktop.grading.judging.engine", "GradingEngine")
_export(
    "desktop.grading.judging.batch",
    read_batch_items="read_items",
    grade_batch_items="grade_items",
)
_export(
    "desktop.grading.llama.hardware",
    "GIB",
    "capture_offload_report",
    "estimate_memory",
    "gpu_offload_supported",
    "resolve_gpu_layers",
)
_export("desktop.grading.llama.load_probe", "PROBE_COMMAND", "ensure_loadable")
_export("desktop.grading.llama.load_probe_child", "probe_file")
_export("desktop.grading.llama.load_verdicts", "LoadVerdicts")
_export("desktop.grading.llama.template_worker", run_chat_template_worker="main")
_export("desktop.grading.model_files.catalog", "CATALOG", "RECOMMENDED", "catalog_model")
_export(
    "desktop.grading.model_files.discovery",
    "EMBEDDED_NAME",
    "default_model",
    "describe_model",
    "discover_models",
    "embedded_model_path",
)
_export("desktop.grading.model_files.model_install", install_model="install")

__all__ = [
    "CATALOG",
    "EMBEDDED_NAME",
    "GIB",
    "GPU_LAYERS_AUTO",
    "NO_MODEL",
    "PROBE_COMMAND",
    "RECOMMENDED",
    "BackendError",
    "BackendTimeout",
    "BackendUnavailable",
    "ChatMessage",
    "Completion",
    "CompletionBackend",
    "GradingEngine",
    "LoadVerdicts",
    "MalformedReply",
    "ModelManager",
    "ModelSettings",
    "TextCallback",
    "build_backend",
    "capture_offload_report",
    "catalog_model",
    "check_local_model",
    "choose_settings",
    "default_model",
    "describe_model",
    "discover_models",
    "embedded_model_path",
    "ensure_loadable",
    "estimate_memory",
    "gpu_offload_supported",
    "grade_batch_items",
    "install_model",
    "load_model_settings",
    "probe_file",
    "read_batch_items",
    "resolve_gpu_layers",
    "resolve_settings",
    "run_chat_template_worker",
    "save_model_settings",
]


if not TYPE_CHECKING:

    def __getattr__(name: str) -> Any:
        """Loads the module behind a public name the first time the name is used."""
        try:
            module, attribute = _SOURCES[name]
        except KeyError:
            raise AttributeError(f"module {__name__!r} has no attribute {name!r}") from None
        value = getattr(importlib.import_module(module), attribute)
        globals()[name] = value
        return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
