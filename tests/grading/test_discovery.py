"""Model discovery in every place a model can be: the user's folder, models/ of the install, an
explicit path, and the embedded model; with real GGUF files."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from desktop.core.errors import ModelError
from desktop.core.grading.model_files import ModelSource
from desktop.grading.model_files.discovery import (
    default_model,
    discover_models,
    embedded_model_path,
    gguf_files_in,
    resolve_model_file,
)
from desktop.paths import UserPaths


@pytest.fixture
def install_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "install" / "models"
    folder.mkdir(parents=True)
    return folder


def test_only_the_embedded_model_when_nothing_else_is_there(
    user_paths: UserPaths, install_dir: Path, embedded_gguf: Path
) -> None:
    models = discover_models(user_paths, install_dir=install_dir)
    assert [model.source for model in models] == [ModelSource.EMBEDDED]
    embedded = models[0]
    assert embedded.path == embedded_gguf == embedded_model_path()
    assert embedded.name == "SmolLM2-135M-Instruct"
    assert (embedded.architecture, embedded.quantization) == ("llama", "Q4_1")
    assert embedded.has_chat_template and embedded.usable
    assert embedded.parameters_text == "135M" and embedded.context_length == 8192
    assert default_model(models) == embedded


def test_all_three_places_and_the_embedded_model(
    user_paths: UserPaths,
    install_dir: Path,
    embedded_gguf: Path,
    gemma_gguf: Path,
) -> None:
    # Distinct files in each place (a file reached twice is listed once).
    (user_paths.models_dir / "gemma").mkdir(parents=True)
    shutil.copyfile(gemma_gguf, user_paths.models_dir / "gemma" / gemma_gguf.name)
    shutil.copyfile(embedded_gguf, install_dir / "smollm2-copy.gguf")
    explicit = gemma_gguf

    models = discover_models(user_paths, [explicit], install_dir=install_dir)

    by_source = {model.source: model for model in models}
    assert [model.source for model in models] == [
        ModelSource.EXPLICIT,
        ModelSource.USER,
        ModelSource.INSTALL,
        ModelSource.EMBEDDED,
    ]
    for source in (ModelSource.EXPLICIT, ModelSource.USER):
        gemma = by_source[source]
        assert (gemma.architecture, gemma.quantization) == ("gemma3", "Q4_K_M")
        assert not gemma.has_chat_template and gemma.usable
        assert gemma.file_size == gemma_gguf.stat().st_size
    assert by_source[ModelSource.INSTALL].has_chat_template
    assert by_source[ModelSource.INSTALL].path == install_dir / "smollm2-copy.gguf"
    # A model the user chose or added comes before the embedded one.
    assert default_model(models) == by_source[ModelSource.EXPLICIT]


def test_unusable_files_are_listed_with_their_reason_and_never_the_default(
    user_paths: UserPaths, install_dir: Path, embedded_gguf: Path
) -> None:
    user_paths.models_dir.mkdir(parents=True)
    (user_paths.models_dir / "broken.gguf").write_bytes(b"not a model at all" * 10)
    with embedded_gguf.open("rb") as source:
        (install_dir / "half.gguf").write_bytes(source.read(5_000_000))

    models = discover_models(user_paths, install_dir=install_dir)

    problems = {model.path.name: model.problem for model in models if not model.usable}
    assert "not a GGUF model" in problems["broken.gguf"]
    assert "truncated" in problems["half.gguf"]
    chosen = default_model(models)
    assert chosen is not None and chosen.source is ModelSource.EMBEDDED


def test_explicit_folder_and_duplicates(
    user_paths: UserPaths, install_dir: Path, embedded_gguf: Path
) -> None:
    user_paths.models_dir.mkdir(parents=True)
    (user_paths.models_dir / "smol.gguf").symlink_to(embedded_gguf)
    models = discover_models(user_paths, [user_paths.models_dir], install_dir=install_dir)
    # The explicit folder and the user's folder hold the same file; the embedded model is the
    # symlink's target: each file is listed once.
    assert [model.source for model in models] == [ModelSource.EXPLICIT]


def test_only_the_first_part_of_a_split_model_is_listed(tmp_path: Path) -> None:
    for name in ("big-00001-of-00002.gguf", "big-00002-of-00002.gguf", "notes.txt", "x.GGUF"):
        (tmp_path / name).write_bytes(b"GGUF")
    assert [path.name for path in gguf_files_in(tmp_path)] == [
        "big-00001-of-00002.gguf",
        "x.GGUF",
    ]
    assert gguf_files_in(tmp_path / "absent") == []


def test_resolving_a_model_choice(
    user_paths: UserPaths, install_dir: Path, embedded_gguf: Path, gemma_gguf: Path
) -> None:
    assert resolve_model_file("embedded", user_paths) == embedded_gguf
    assert resolve_model_file(str(gemma_gguf), user_paths) == gemma_gguf
    (install_dir / "gemma-3-270m-q4_k_m.gguf").symlink_to(gemma_gguf)
    found = resolve_model_file("gemma-3-270m-q4_k_m", user_paths, install_dir=install_dir)
    assert found == install_dir / "gemma-3-270m-q4_k_m.gguf"
    with pytest.raises(ModelError, match="No model named 'mistral'"):
        resolve_model_file("mistral", user_paths, install_dir=install_dir)
