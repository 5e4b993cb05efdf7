"""Reads the header of a GGUF model file (metadata and tensor list, never the weights), in pure
Python, so a model can be described and checked before llama.cpp touches it. Instant even for
multi-gigabyte files: the file is memory-mapped and only the header pages are read.

A missing, unreadable, non-GGUF, unsupported or truncated file, and anything that is not a regular
file (a FIFO, a device, a symlink loop), raises `ModelError` with a message a person can act on.
"""

from __future__ import annotations

import mmap
import struct
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from desktop.core.errors import ModelError
from desktop.grading.model_files.gguf_types import file_type_name, tensor_nbytes
from desktop.grading.model_files.gguf_values import Cursor, Truncated
from desktop.grading.model_files.model_path import open_regular_file

GGUF_MAGIC = b"GGUF"
SUPPORTED_VERSIONS = (2, 3)  # llama.cpp refuses version 1 files
DEFAULT_ALIGNMENT = 32
MAX_DIMENSIONS = 4  # GGML_MAX_DIMS: llama.cpp refuses a tensor with more


@dataclass(frozen=True)
class GgufHeader:
    """What a GGUF file says about itself."""

    path: Path
    version: int
    metadata: Mapping[str, object]
    tensor_count: int
    parameter_count: int
    file_size: int
    data_offset: int  # where the weights start: everything before it is the header
    required_size: int | None  # bytes the file needs; None if a tensor type is unknown

    def _get(self, key: str) -> object:
        return self.metadata.get(key)

    def _text(self, key: str) -> str:
        value = self._get(key)
        return value if isinstance(value, str) else ""

    def _number(self, key: str) -> int | None:
        value = self._get(key)
        return value if isinstance(value, int) and not isinstance(value, bool) else None

    @property
    def architecture(self) -> str:
        return self._text("general.architecture")

    @property
    def name(self) -> str:
        return self._text("general.name") or self.path.stem

    @property
    def size_label(self) -> str:
        return self._text("general.size_label")

    @property
    def quantization(self) -> str:
        return file_type_name(self._number("general.file_type"))

    @property
    def context_length(self) -> int | None:
        return self._number(f"{self.architecture}.context_length")

    @property
    def chat_template(self) -> str:
        return self._text("tokenizer.chat_template")

    @property
    def block_count(self) -> int | None:
        return self._number(f"{self.architecture}.block_count")

    def arch_number(self, key: str) -> int | None:
        """An architecture-specific number, e.g. `attention.head_count`."""
        return self._number(f"{self.architecture}.{key}")


def read_gguf_header(path: Path) -> GgufHeader:
    """The header of the GGUF file at `path`, or `ModelError` saying what is wrong with it."""
    path = Path(path).expanduser()
    try:
        with open_regular_file(path) as (handle, file_size):
            if file_size < 4 + 4 + 8 + 8:
                raise ModelError(
                    f"{path} is not a usable model: it is only {file_size} bytes long "
                    "(an interrupted download? download it again)."
                )
            with mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ) as buffer:
                return _parse(path, buffer, file_size)
    except OSError as error:
        raise ModelError(f"The model file {path} cannot be read: {error.strerror}.") from error


def _parse(path: Path, buffer: mmap.mmap, file_size: int) -> GgufHeader:
    magic = bytes(buffer[:4])
    if magic != GGUF_MAGIC:
        raise ModelError(describe_foreign_file(path, bytes(buffer[:64])))
    cursor = Cursor(buffer)
    cursor.position = 4
    version = cursor.u32()
    if version not in SUPPORTED_VERSIONS:
        swapped = struct.unpack("<I", struct.pack(">I", version))[0]
        detail = (
            "it was written big-endian, for another kind of computer"
            if swapped in SUPPORTED_VERSIONS
            else f"it is GGUF version {version}; this app's llama.cpp reads versions 2 and 3"
        )
        raise ModelError(f"{path} cannot be loaded: {detail}. Convert it again with llama.cpp.")
    try:
        return _parse_body(path, cursor, version, file_size)
    except Truncated:
        raise ModelError(
            f"{path} is truncated: its header stops after {file_size} bytes "
            "(an interrupted download? download it again)."
        ) from None
    except ValueError as error:
        raise ModelError(f"{path} is damaged: {error}.") from None


def _parse_body(path: Path, cursor: Cursor, version: int, file_size: int) -> GgufHeader:
    tensor_count = cursor.count()
    kv_count = cursor.count()
    # Each entry needs at least 8 + 4 (+1) bytes: a larger count means a damaged header.
    if kv_count > file_size // 12 or tensor_count > file_size // 24:
        raise ValueError("its header counts are impossible for a file of this size")
    metadata: dict[str, object] = {}
    for _ in range(kv_count):
        key = cursor.string()
        value_type = cursor.u32()
        metadata[key] = cursor.value(value_type)
    parameters = 0
    tensor_end: int | None = 0
    for _ in range(tensor_count):
        cursor.string()  # tensor name
        dimension_count = cursor.u32()
        if dimension_count > MAX_DIMENSIONS:
            raise ValueError(f"a tensor has {dimension_count:,} dimensions (at most 4)")
        elements = 1
        for _ in range(dimension_count):
            elements *= cursor.count()
        ggml_type = cursor.u32()
        offset = cursor.count()
        parameters += elements
        size = tensor_nbytes(ggml_type, elements)
        tensor_end = None if size is None or tensor_end is None else max(tensor_end, offset + size)
    alignment = metadata.get("general.alignment", DEFAULT_ALIGNMENT)
    alignment = alignment if isinstance(alignment, int) and alignment > 0 else DEFAULT_ALIGNMENT
    data_start = -(-cursor.position // alignment) * alignment
    required = None if tensor_end is None else data_start + tensor_end
    if required is not None and file_size < required:
        raise ModelError(
            f"{path} is truncated: it is {file_size:,} bytes but its weights need {required:,} "
            "(an interrupted download? download it again)."
        )
    return GgufHeader(
        path, version, metadata, tensor_count, parameters, file_size, data_start, required
    )


def describe_foreign_file(path: Path, head: bytes) -> str:
    """Why a file that is not GGUF cannot be used, naming what it looks like when we can tell."""
    if head.startswith(b"version https://git-lfs"):
        kind = "a Git LFS pointer, not the model itself: fetch the real file"
    elif head.startswith(b"PK"):
        kind = "a zip archive (a PyTorch checkpoint?): convert it to GGUF with llama.cpp"
    elif head[8:9] == b"{" and b'"' in head[8:16]:
        kind = "a safetensors file: convert it to GGUF with llama.cpp"
    elif head.startswith((b"ggml", b"ggmf", b"ggjt", b"lmgg", b"fmgg", b"tjgg")):
        kind = "an old GGML model: convert it to GGUF with llama.cpp"
    else:
        kind = "not a GGUF model (GGUF files start with 'GGUF')"
    return f"{path} cannot be used as a model: it is {kind}."
