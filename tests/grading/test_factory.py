"""Turning a model choice into a backend: every kind of choice, bad files refused before llama.cpp
sees them, and the prompt each real model gets (its own template, or a plain one for Gemma)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from desktop.core.errors import ModelError
from desktop.grading.backend import ChatMessage
from desktop.grading.factory import build_backend, choose_settings, resolve_settings
from desktop.grading.llama.hardware import available_memory_bytes
from desktop.grading.llama.local import LocalLlamaBackend
from desktop.grading.model_files.catalog import RECOMMENDED
from desktop.grading.model_files.discovery import default_model, discover_models
from desktop.grading.remote.remote import RemoteBackend
from desktop.grading.settings import ModelSettings
from desktop.paths import UserPaths, install_models_dir

MESSAGES = [
    ChatMessage("system", "You grade answers."),
    ChatMessage("user", "Question: what is 2 + 2? Answer: 4"),
]


def test_none_means_no_backend(user_paths: UserPaths) -> None:
    assert build_backend(ModelSettings(model="none"), user_paths) is None


def test_a_server_url_selects_the_remote_backend(user_paths: UserPaths) -> None:
    backend = build_backend(ModelSettings(model="HTTP://127.0.0.1:8080/v1/"), user_paths)
    assert isinstance(backend, RemoteBackend)
    assert backend.base_url == "HTTP://127.0.0.1:8080/v1"
    with pytest.raises(ModelError, match="not an http"):
        build_backend(ModelSettings(model="http://"), user_paths)


def test_embedded_resolves_to_its_file_and_gpu_layers_to_a_number(
    user_paths: UserPaths, embedded_gguf: Path
) -> None:
    resolved = resolve_settings(ModelSettings(model="embedded"), user_paths)
    assert resolved.model == str(embedded_gguf)
    assert isinstance(resolved.n_gpu_layers, int)
    backend = build_backend(ModelSettings(model="embedded"), user_paths)
    assert isinstance(backend, LocalLlamaBackend)
    assert backend.model_path == embedded_gguf
    backend.close()


@pytest.mark.parametrize(
    ("damage", "message"),
    [
        (lambda path: path.write_bytes(b"nonsense" * 100), "not a GGUF model"),
        (lambda path: path.unlink(), "does not exist"),
        (lambda path: _cut(path, 10_000_000), "truncated"),
    ],
)
def test_bad_files_are_refused_before_llama_cpp(
    user_paths: UserPaths,
    embedded_gguf: Path,
    tmp_path: Path,
    damage: object,
    message: str,
) -> None:
    path = tmp_path / "model.gguf"
    shutil.copyfile(embedded_gguf, path)
    assert callable(damage)
    damage(path)
    with pytest.raises(ModelError, match=message):
        build_backend(ModelSettings(model=str(path)), user_paths)


def _cut(path: Path, size: int) -> None:
    with path.open("r+b") as handle:
        handle.truncate(size)


def test_a_model_too_large_for_memory_is_refused(
    user_paths: UserPaths, embedded_gguf: Path, tmp_path: Path
) -> None:
    # The real file with a context so long its KV cache alone needs more than the memory.
    available = available_memory_bytes()
    assert available is not None
    kv_per_token = 30 * 3 * (64 + 64) * 2  # layers x kv heads x (key + value) x f16
    n_ctx = available // kv_per_token * 2
    with pytest.raises(ModelError, match=r"needs about .* GiB of memory"):
        build_backend(ModelSettings(model=str(embedded_gguf), n_ctx=n_ctx), user_paths)


def test_choosing_settings(user_paths: UserPaths, embedded_gguf: Path, gemma_gguf: Path) -> None:
    saved = ModelSettings(model=str(gemma_gguf), n_ctx=1024)
    assert choose_settings("none", saved, user_paths) == saved.with_model("none")
    assert choose_settings(None, saved, user_paths) == saved
    # Nothing chosen: the recommended model that the set-up installs beside the app.
    recommended = install_models_dir() / RECOMMENDED.file_name
    assert choose_settings(None, None, user_paths).model == str(recommended)
    assert str(embedded_gguf) != str(recommended)


def test_the_default_prefers_the_recommended_model_then_other_files_then_the_embedded(
    tmp_path: Path, user_paths: UserPaths, embedded_gguf: Path, gemma_gguf: Path
) -> None:
    install = tmp_path / "install-models"
    install.mkdir()

    def default() -> Path | None:
        found = default_model(discover_models(user_paths, install_dir=install))
        return found.path if found is not None else None

    assert default() == embedded_gguf
    user_paths.models_dir.mkdir(parents=True)
    (user_paths.models_dir / gemma_gguf.name).symlink_to(gemma_gguf)
    assert default() == user_paths.models_dir / gemma_gguf.name
    # Any GGUF under the recommended model's name (a hard link: another path, the same bytes).
    os.link(gemma_gguf.resolve(), install / RECOMMENDED.file_name)
    assert default() == install / RECOMMENDED.file_name


def test_gemma_without_a_template_gets_a_plain_prompt_not_llama_2(
    user_paths: UserPaths, gemma_gguf: Path
) -> None:
    backend = build_backend(ModelSettings(model=str(gemma_gguf), n_ctx=512), user_paths)
    assert isinstance(backend, LocalLlamaBackend)
    try:
        assert backend.template_source == "plain completion"
        assert backend._renderer is not None
        prompt = backend._renderer.render(MESSAGES).text
        assert "[INST]" not in prompt and "<<SYS>>" not in prompt
        assert "what is 2 + 2" in prompt
        completion = backend.complete(MESSAGES, schema=None, max_tokens=4)
        assert completion.completion_tokens > 0
    finally:
        backend.close()


@pytest.mark.model
def test_smollm2_uses_the_template_from_its_file(user_paths: UserPaths) -> None:
    backend = build_backend(ModelSettings(model="embedded", n_ctx=512), user_paths)
    assert isinstance(backend, LocalLlamaBackend)
    try:
        assert backend.template_source == "gguf"
        assert backend._renderer is not None
        prompt = backend._renderer.render(MESSAGES).text
        assert prompt.startswith("<|im_start|>system\nYou grade answers.<|im_end|>")
        assert "[INST]" not in prompt
    finally:
        backend.close()
