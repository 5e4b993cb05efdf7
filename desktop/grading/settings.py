"""Typed settings for a model backend: never globals."""

from __future__ import annotations

import os
from dataclasses import asdict, dataclass, field
from typing import Any

GPU_LAYERS_AUTO = "auto"
EMBEDDED_MODEL = "embedded"
NO_MODEL = "none"


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


@dataclass(frozen=True)
class ModelSettings:
    """How to run a model.

    `model` is a GGUF path, "embedded" (the bundled SmolLM2-135M-Instruct), "none", or the
    `http(s)://.../v1` URL of an OpenAI-compatible server. `n_gpu_layers` is a count or "auto"
    (all layers when llama.cpp was built with GPU support, 0 otherwise).
    """

    model: str = EMBEDDED_MODEL
    n_ctx: int = 4096
    n_threads: int = field(default_factory=physical_cores)
    n_gpu_layers: int | str = GPU_LAYERS_AUTO
    seed: int = 42
    temperature: float = 0.0
    timeout_s: float = 120.0
    api_key_env: str = "VIVA_API_KEY"
    remote_model_name: str = ""

    @property
    def is_remote(self) -> bool:
        return self.model.startswith(("http://", "https://"))

    def as_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> ModelSettings:
        known = {name for name in cls.__dataclass_fields__}
        return cls(**{key: value for key, value in data.items() if key in known})
