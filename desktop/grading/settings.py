"""Typed settings for a model backend (never globals), their validation, and keeping them as
the "model" settings group (plain JSON) in a `core.settings.SettingsStore`."""

from __future__ import annotations

import math
import os
from dataclasses import asdict, dataclass, field, fields, replace
from typing import Any

from desktop.core.errors import ModelError
from desktop.core.settings import SettingsStore

GPU_LAYERS_AUTO = "auto"
EMBEDDED_MODEL = "embedded"
NO_MODEL = "none"
SETTINGS_GROUP = "model"
LONGEST_TIMEOUT_S = 86_400.0  # a day: longer waits are a mistake (and beyond some OS timers)


def physical_cores() -> int:
    """Physical cores (llama.cpp is slower with hyper-threads); falls back to logical / 2."""
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as info:
            pairs = set()
            physical_id = core_id = ""
            for line in info:
                if line.startswith("physical id"):
                    physical_id = line.split(":", 1)[1].strip()
                elif line.startswith("core id"):
                    core_id = line.split(":", 1)[1].strip()
                    pairs.add((physical_id, core_id))
            if pairs:
                return len(pairs)
    except OSError:
        pass
    return max(1, (os.cpu_count() or 2) // 2)


def automatic_threads() -> int:
    """All physical cores but one. llama.cpp's threads spin while they wait: on 2 cores, 2
    threads ran 4x slower than 1 while anything else was busy, and the window's thread needs a
    core of its own to stay responsive while a grade runs."""
    return max(1, physical_cores() - 1)


@dataclass(frozen=True)
class ModelSettings:
    """How to run a model.

    `model` is a GGUF path, "embedded" (the bundled SmolLM2-135M-Instruct), "none", or the
    `http(s)://.../v1` URL of an OpenAI-compatible server. `n_gpu_layers` is a count or "auto"
    (all layers when llama.cpp was built with GPU support, 0 otherwise).
    """

    model: str = EMBEDDED_MODEL
    n_ctx: int = 4096
    n_threads: int = field(default_factory=automatic_threads)
    n_gpu_layers: int | str = GPU_LAYERS_AUTO
    seed: int = 42
    temperature: float = 0.0
    timeout_s: float = 120.0  # a whole grade, the model's feedback included
    api_key_env: str = "VIVA_API_KEY"
    remote_model_name: str = ""
    # For a server that needs a key: kept in the settings (never taken from the command line);
    # the environment variable named by `api_key_env` wins when it is set.
    api_key: str = field(default="", repr=False)

    @property
    def is_remote(self) -> bool:
        return self.model.strip().lower().startswith(("http://", "https://"))

    @property
    def is_local(self) -> bool:
        return not self.is_remote and self.model != NO_MODEL

    def with_model(self, model: str) -> ModelSettings:
        return replace(self, model=model)

    def as_json(self) -> dict[str, Any]:
        """Everything, for saving the settings (includes the API key)."""
        return asdict(self)

    def public_json(self) -> dict[str, Any]:
        """For logs, grades and screens: the API key is masked."""
        values = asdict(self)
        values["api_key"] = "***" if self.api_key else ""
        return values

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> ModelSettings:
        """Settings from JSON; unknown keys (from a newer version) are ignored, a value of the
        wrong type or range raises `ModelError` naming the setting."""
        known = {item.name for item in fields(cls)}
        settings = cls(**{key: value for key, value in data.items() if key in known})
        settings.validate()
        return settings

    def validate(self) -> None:
        problems = [
            f"{name} {problem}"
            for name, problem in (
                ("model", _text_problem(self.model, allow_empty=False)),
                ("n_ctx", _count_problem(self.n_ctx, minimum=16)),
                ("n_threads", _count_problem(self.n_threads, minimum=1)),
                ("n_gpu_layers", _gpu_layers_problem(self.n_gpu_layers)),
                ("seed", _count_problem(self.seed, minimum=-1)),
                ("temperature", _number_problem(self.temperature, minimum=0.0)),
                (
                    "timeout_s",
                    _number_problem(self.timeout_s, minimum=0.001, maximum=LONGEST_TIMEOUT_S),
                ),
                ("api_key_env", _text_problem(self.api_key_env, allow_empty=True)),
                ("remote_model_name", _text_problem(self.remote_model_name, allow_empty=True)),
                ("api_key", _text_problem(self.api_key, allow_empty=True)),
            )
            if problem
        ]
        if problems:
            raise ModelError("Model settings are not valid: " + "; ".join(problems) + ".")


def _count_problem(value: object, *, minimum: int) -> str:
    if not isinstance(value, int) or isinstance(value, bool):
        return f"must be a whole number, not {value!r}"
    return f"must be at least {minimum}" if value < minimum else ""


def _number_problem(value: object, *, minimum: float, maximum: float = math.inf) -> str:
    if not isinstance(value, int | float) or isinstance(value, bool) or not math.isfinite(value):
        return f"must be a number, not {value!r}"
    if value < minimum:
        return f"must be at least {minimum:g}"
    return f"must be at most {maximum:g}" if value > maximum else ""


def _text_problem(value: object, *, allow_empty: bool) -> str:
    if not isinstance(value, str):
        return f"must be text, not {value!r}"
    return "must not be empty" if not allow_empty and not value.strip() else ""


def _gpu_layers_problem(value: object) -> str:
    if value == GPU_LAYERS_AUTO:
        return ""
    if isinstance(value, int) and not isinstance(value, bool):
        return "must be -1 (all), 0 or more, or 'auto'" if value < -1 else ""
    return f"must be a number of layers or 'auto', not {value!r}"


def load_model_settings(store: SettingsStore) -> ModelSettings | None:
    """The saved model settings, or None when none were ever saved."""
    saved = store.load_group(SETTINGS_GROUP)
    return None if saved is None else ModelSettings.from_json(saved)


def save_model_settings(store: SettingsStore, settings: ModelSettings) -> None:
    settings.validate()
    store.save_group(SETTINGS_GROUP, settings.as_json())
