"""Fixtures for grading tests: the real embedded model and the real default model, each loaded
once per session (the scripted backend is in the root conftest, shared by every test)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from desktop.grading.llama.local import LocalLlamaBackend
from desktop.grading.model_files.catalog import RECOMMENDED
from desktop.grading.settings import ModelSettings
from desktop.paths import install_models_dir


@pytest.fixture(scope="session")
def embedded_backend() -> Iterator[LocalLlamaBackend]:
    """The real SmolLM2-135M-Instruct, shared by the tests that need a model. One thread: with
    two, llama.cpp's threads wait on each other whenever anything else wants the CPU."""
    backend = LocalLlamaBackend(ModelSettings(model="embedded", n_ctx=4096, n_threads=1))
    backend.load()
    yield backend
    backend.close()


@pytest.fixture(scope="session")
def default_backend() -> Iterator[LocalLlamaBackend]:
    """The recommended model the set-up installs (Qwen2.5-Coder-1.5B-Instruct), one thread."""
    path = install_models_dir() / RECOMMENDED.file_name
    if not path.is_file():
        pytest.fail(f"the default model is not installed ({path}): run scripts/setup.sh")
    backend = LocalLlamaBackend(ModelSettings(model=str(path), n_ctx=4096, n_threads=1))
    backend.load()
    yield backend
    backend.close()
