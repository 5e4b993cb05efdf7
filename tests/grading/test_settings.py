"""Model settings: defaults, validation, the JSON round trip through the database, and how
"auto" GPU layers resolve on this build of llama.cpp."""

from __future__ import annotations

import json

import pytest

from desktop.core.errors import ModelError
from desktop.grading.factory import build_backend
from desktop.grading.llama.hardware import (
    capture_offload_report,
    gpu_offload_supported,
    resolve_gpu_layers,
)
from desktop.grading.llama.local import LocalLlamaBackend
from desktop.grading.settings import (
    GPU_LAYERS_AUTO,
    ModelSettings,
    load_model_settings,
    physical_cores,
    save_model_settings,
)
from desktop.paths import UserPaths
from desktop.storage.database import Database
from desktop.storage.settings_store import DatabaseSettingsStore


def test_defaults() -> None:
    settings = ModelSettings()
    assert settings.model == "embedded" and settings.is_local and not settings.is_remote
    assert settings.n_gpu_layers == GPU_LAYERS_AUTO
    assert settings.temperature == 0.0
    # Every physical core but one: the window keeps a core (on 2 cores, 1 thread ran 4x faster
    # than 2 while anything else was busy).
    assert settings.n_threads == max(1, physical_cores() - 1) >= 1
    settings.validate()


def test_json_round_trip_through_text() -> None:
    settings = ModelSettings(
        model="http://127.0.0.1:8080/v1",
        n_ctx=2048,
        n_threads=3,
        n_gpu_layers=12,
        seed=7,
        temperature=0.2,
        remote_model_name="grader",
        api_key="secret",
    )
    assert ModelSettings.from_json(json.loads(json.dumps(settings.as_json()))) == settings
    assert settings.is_remote and not settings.is_local


def test_api_key_is_masked_where_it_is_shown() -> None:
    settings = ModelSettings(api_key="secret")
    assert settings.public_json()["api_key"] == "***"
    assert "secret" not in repr(settings)
    assert ModelSettings().public_json()["api_key"] == ""


def test_unknown_keys_are_ignored() -> None:
    assert ModelSettings.from_json({"n_ctx": 1024, "from_a_newer_version": True}).n_ctx == 1024


@pytest.mark.parametrize(
    ("values", "named"),
    [
        ({"n_ctx": "big"}, "n_ctx must be a whole number"),
        ({"n_ctx": 0}, "n_ctx must be at least 16"),
        ({"n_threads": 0}, "n_threads must be at least 1"),
        ({"n_gpu_layers": "most"}, "n_gpu_layers must be a number of layers or 'auto'"),
        ({"n_gpu_layers": -5}, "n_gpu_layers must be -1"),
        ({"temperature": -1}, "temperature must be at least 0"),
        ({"timeout_s": 0}, "timeout_s must be at least"),
        ({"timeout_s": float("inf")}, "timeout_s must be a number, not inf"),
        ({"timeout_s": float("nan")}, "timeout_s must be a number, not nan"),
        ({"timeout_s": 1e9}, "timeout_s must be at most 86400"),
        ({"temperature": float("nan")}, "temperature must be a number, not nan"),
        ({"model": ""}, "model must not be empty"),
        ({"n_threads": True}, "n_threads must be a whole number"),
    ],
)
def test_bad_values_are_named(values: dict[str, object], named: str) -> None:
    with pytest.raises(ModelError, match=named):
        ModelSettings.from_json(values)


def test_saved_in_the_database_and_read_back(database: Database) -> None:
    store = DatabaseSettingsStore(database)
    assert load_model_settings(store) is None
    first = ModelSettings(model="/models/a.gguf", n_ctx=1024)
    save_model_settings(store, first)
    assert load_model_settings(store) == first
    second = first.with_model("none")
    save_model_settings(store, second)
    assert load_model_settings(DatabaseSettingsStore(database)) == second


def test_reopened_database_keeps_settings(database: Database) -> None:
    save_model_settings(DatabaseSettingsStore(database), ModelSettings(n_gpu_layers=4))
    path = database.path
    database.close()
    reopened = Database.open(path)
    try:
        saved = load_model_settings(DatabaseSettingsStore(reopened))
        assert saved is not None and saved.n_gpu_layers == 4
    finally:
        reopened.close()


def test_auto_gpu_layers_follow_the_build() -> None:
    assert resolve_gpu_layers(GPU_LAYERS_AUTO, offload_supported=True) == -1
    assert resolve_gpu_layers(GPU_LAYERS_AUTO, offload_supported=False) == 0
    assert resolve_gpu_layers(20) == 20
    assert resolve_gpu_layers("8") == 8
    with pytest.raises(ModelError, match="n_gpu_layers"):
        resolve_gpu_layers("lots")


def test_auto_gpu_layers_follow_the_installed_llama_cpp() -> None:
    """0 on the CPU-only build the set-up compiles; every layer on a CUDA or Metal build."""
    import llama_cpp

    built_with_gpu = bool(llama_cpp.llama_supports_gpu_offload())
    assert gpu_offload_supported() is built_with_gpu
    assert resolve_gpu_layers(GPU_LAYERS_AUTO) == (-1 if built_with_gpu else 0)


@pytest.mark.model
def test_layer_placement_is_read_from_llama_cpp_while_a_model_loads(
    user_paths: UserPaths,
) -> None:
    backend = build_backend(ModelSettings(model="embedded", n_ctx=256), user_paths)
    assert isinstance(backend, LocalLlamaBackend)
    try:
        with capture_offload_report() as report:
            backend.load()
    finally:
        backend.close()
    if gpu_offload_supported():  # "auto": every layer (llama.cpp counts the output layer too)
        assert report.total is not None and report.total >= 30
        assert report.offloaded == report.total
    else:  # SmolLM2-135M's 30 layers, all on the CPU
        assert (report.offloaded, report.total) == (0, 30)
        assert report.sentence(False).endswith("0 of 30 layers offloaded to the GPU")
    with capture_offload_report() as idle:
        pass
    assert idle.total is None and "no layer placement" in idle.sentence(False)
