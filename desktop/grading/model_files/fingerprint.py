"""A model file's identity by its content, which the calibration cache keys a measurement by:
read from two MiB of the file, so a multi-gigabyte model is fingerprinted quickly."""

from __future__ import annotations

import hashlib
from pathlib import Path

_FINGERPRINT_SPAN = 1024 * 1024


def file_fingerprint(path: Path) -> str:
    """A cheap content fingerprint of a model file: its size and its first and last MiB."""
    size = path.stat().st_size
    digest = hashlib.sha256(str(size).encode("ascii"))
    with path.open("rb") as handle:
        digest.update(handle.read(_FINGERPRINT_SPAN))
        if size > _FINGERPRINT_SPAN:
            handle.seek(max(_FINGERPRINT_SPAN, size - _FINGERPRINT_SPAN))
            digest.update(handle.read(_FINGERPRINT_SPAN))
    return digest.hexdigest()[:24]
