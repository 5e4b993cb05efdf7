"""Making damaged copies of a real GGUF model for tests: the same file with one metadata number
rewritten, as a damaged or hand-edited file has it."""

from __future__ import annotations

import shutil
import struct
from pathlib import Path

_UINT32 = 4
_HEADER_SPAN = 1 << 20  # the metadata numbers come before the vocabulary


def copy_with_uint32(source: Path, target: Path, key: str, value: int) -> Path:
    """A copy of `source` whose uint32 metadata value `key` is `value`."""
    shutil.copyfile(source, target)
    name = key.encode("utf-8")
    entry = struct.pack("<Q", len(name)) + name + struct.pack("<I", _UINT32)
    with target.open("r+b") as handle:
        at = handle.read(_HEADER_SPAN).find(entry)
        assert at >= 0, f"{source} has no uint32 {key} in its first MiB"
        handle.seek(at + len(entry))
        handle.write(struct.pack("<I", value))
    return target


def with_block_count(source: Path, target: Path, count: int) -> Path:
    """A copy of the llama-architecture model `source` that claims `count` layers."""
    return copy_with_uint32(source, target, "llama.block_count", count)
