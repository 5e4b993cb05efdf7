"""Opening a GGUF file with llama.cpp, with the errors a learner can act on."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from desktop.grading.backend import BackendUnavailable
from desktop.grading.llama.chat_render import PromptRenderer
from desktop.grading.llama.hardware import resolve_gpu_layers
from desktop.grading.settings import ModelSettings


@dataclass(frozen=True)
class LoadedModel:
    llama: Any  # llama_cpp.Llama
    renderer: PromptRenderer


def open_llama(path: Path, settings: ModelSettings) -> Any:
    """A `llama_cpp.Llama` over the file at `path` with `settings`; `BackendUnavailable` when
    llama.cpp refuses it (an error it reports; an abort takes the process down, which is why a
    file is first opened in a child process: `desktop.grading.llama.load_probe`)."""
    if not path.is_file():
        raise BackendUnavailable(f"The model file {path} does not exist.")
    from llama_cpp import Llama

    try:
        return Llama(
            model_path=str(path),
            n_ctx=settings.n_ctx,
            n_threads=settings.n_threads,
            # llama-cpp-python would otherwise use every logical CPU for prompt batches, which
            # contends with everything else on a small machine (measured: 10x slower).
            n_threads_batch=settings.n_threads,
            n_gpu_layers=resolve_gpu_layers(settings.n_gpu_layers),
            seed=settings.seed,
            verbose=False,
        )
    except (ValueError, RuntimeError, OSError) as error:
        raise BackendUnavailable(f"The model {path.name} could not be loaded: {error}") from error


def load_llama(path: Path, settings: ModelSettings) -> LoadedModel:
    """The model at `path` with `settings`; `BackendUnavailable` when it cannot be used."""
    llama = open_llama(path, settings)
    model = llama._model
    bos, eos = llama.token_bos(), llama.token_eos()
    renderer = PromptRenderer(
        dict(llama.metadata),
        bos_token=model.token_get_text(bos) if bos != -1 else "",
        eos_token=model.token_get_text(eos) if eos != -1 else "",
    )
    return LoadedModel(llama, renderer)
