"""The value encoding of a GGUF header: a cursor that reads little-endian scalars, strings and
arrays from a memory-mapped file, and skips long arrays (vocabularies) without building them.
Running past the end of the buffer raises `Truncated`; a value no model file holds (an unknown
type, arrays nested deeper than `MAX_ARRAY_DEPTH`, a string longer than `MAX_STRING_BYTES`)
raises `ValueError`. Claimed lengths are checked against the buffer before anything is read or
built, so a damaged header costs neither time nor memory."""

from __future__ import annotations

import mmap
import struct
from dataclasses import dataclass

MAX_KEPT_ARRAY = 64  # longer arrays (vocabularies) are skipped; their length is kept
MAX_ARRAY_DEPTH = 8  # llama.cpp reads no nested arrays at all; a few levels are allowed here
MAX_STRING_BYTES = 16 * 1024 * 1024  # a chat template is tens of KiB; a key a few dozen bytes

# GGUF value types -> struct format of a scalar
_SCALARS: dict[int, str] = {
    0: "<B", 1: "<b", 2: "<H", 3: "<h", 4: "<I", 5: "<i",
    6: "<f", 7: "<?", 10: "<Q", 11: "<q", 12: "<d",
}  # fmt: skip
_STRING, _ARRAY = 8, 9
_LENGTH = struct.Struct("<Q")


@dataclass(frozen=True)
class SkippedArray:
    """A metadata array too long to keep (a tokenizer vocabulary): only its size."""

    element_type: int
    length: int


class Truncated(Exception):
    pass


class Cursor:
    """Reads little-endian GGUF values from a buffer; running past its end is truncation."""

    def __init__(self, buffer: mmap.mmap) -> None:
        self.buffer = buffer
        self.position = 0

    def scalar(self, fmt: str) -> object:
        size = struct.calcsize(fmt)
        if self.position + size > len(self.buffer):
            raise Truncated
        (value,) = struct.unpack_from(fmt, self.buffer, self.position)
        self.position += size
        return value

    def u32(self) -> int:
        value = self.scalar("<I")
        assert isinstance(value, int)
        return value

    def count(self) -> int:
        value = self.scalar("<Q")
        assert isinstance(value, int)
        return value

    def string(self) -> str:
        length = self.count()
        end = self.position + length
        if end > len(self.buffer):
            raise Truncated
        if length > MAX_STRING_BYTES:
            raise ValueError(f"a header string is {length:,} bytes long")
        raw = self.buffer[self.position : end]
        self.position = end
        return raw.decode("utf-8", errors="replace")

    def value(self, value_type: int, depth: int = 0) -> object:
        if value_type in _SCALARS:
            return self.scalar(_SCALARS[value_type])
        if value_type == _STRING:
            return self.string()
        if value_type == _ARRAY:
            return self.array(depth + 1)
        raise ValueError(f"unknown metadata value type {value_type}")

    def array(self, depth: int = 1) -> object:
        if depth > MAX_ARRAY_DEPTH:
            raise ValueError(f"its metadata arrays are nested more than {MAX_ARRAY_DEPTH} deep")
        element_type = self.u32()
        length = self.count()
        if length <= MAX_KEPT_ARRAY:
            return [self.value(element_type, depth) for _ in range(length)]
        if element_type in _SCALARS:
            self.position += length * struct.calcsize(_SCALARS[element_type])
            if self.position > len(self.buffer):
                raise Truncated
        elif element_type == _STRING:
            self._skip_strings(length)
        else:  # arrays of arrays: each takes 12 bytes or more, so a damaged length runs out
            for _ in range(length):
                self.value(element_type, depth)
        return SkippedArray(element_type, length)

    def _skip_strings(self, count: int) -> None:
        # The hot loop of the whole reader (a vocabulary holds up to 262,144 strings).
        read_length = _LENGTH.unpack_from
        buffer, position, end = self.buffer, self.position, len(self.buffer)
        for _ in range(count):
            if position + 8 > end:
                raise Truncated
            position += 8 + read_length(buffer, position)[0]
        if position > end:
            raise Truncated
        self.position = position
