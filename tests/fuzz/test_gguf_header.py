"""Property-based tests of the GGUF header reader (`desktop.grading.model_files.gguf`): random
headers built from GGUF's own parts (with lengths and counts that lie), and random damage to the
real header of the embedded model, are either read or refused with `ModelError`, never anything
else; each read stays within a time and memory bound whatever a length claims (2**63 bytes of
string, 2**60 array elements, 1,000 nested arrays, 2**32 dimensions).

The examples include the two `block_count`s that make llama.cpp abort (0 and 1000): the header
reader passes them, as it must (the header is well formed), and `load_probe` catches them.
"""

from __future__ import annotations

import struct
import time
import tracemalloc
from collections.abc import Sequence
from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from desktop.core.errors import ModelError
from desktop.grading.model_files.gguf import GgufHeader, read_gguf_header
from desktop.grading.model_files.gguf_types import TENSOR_BLOCK_SIZES

U32, U64 = struct.Struct("<I"), struct.Struct("<Q")
SCALAR_SIZES = {0: 1, 1: 1, 2: 2, 3: 2, 4: 4, 5: 4, 6: 4, 7: 1, 10: 8, 11: 8, 12: 8}
STRING, ARRAY = 8, 9
LIES = (2**63, 2**64 - 1, 2**60, 2**32, 2**31 - 1)
KEYS = (
    "general.architecture",
    "general.name",
    "general.alignment",
    "general.file_type",
    "llama.block_count",
    "llama.context_length",
    "tokenizer.chat_template",
    "tokenizer.ggml.tokens",
)
TIME_LIMIT_S = 2.0
MEMORY_LIMIT = 64 * 1024 * 1024

# ---- building headers -------------------------------------------------------------------------


def gguf_string(raw: bytes, claimed: int | None = None) -> bytes:
    return U64.pack(len(raw) if claimed is None else claimed) + raw


def entry(key: str, value_type: int, payload: bytes) -> bytes:
    return gguf_string(key.encode()) + U32.pack(value_type) + payload


def tensor_info(name: bytes, dims: list[int], ggml_type: int, offset: int, n_dims: int) -> bytes:
    return (
        gguf_string(name)
        + U32.pack(n_dims)
        + b"".join(U64.pack(dim) for dim in dims)
        + U32.pack(ggml_type)
        + U64.pack(offset)
    )


def gguf_file(
    entries: list[bytes],
    tensors: Sequence[bytes] = (),
    *,
    version: int = 3,
    kv_count: int | None = None,
    tensor_count: int | None = None,
    data: int = 64,
) -> bytes:
    counts = U64.pack(len(tensors) if tensor_count is None else tensor_count)
    counts += U64.pack(len(entries) if kv_count is None else kv_count)
    body = b"".join(entries) + b"".join(tensors)
    return b"GGUF" + U32.pack(version) + counts + body + bytes(data)


def llama_header(block_count: int) -> bytes:
    """A well-formed header of a llama model that claims `block_count` layers."""
    return gguf_file(
        [
            entry("general.architecture", STRING, gguf_string(b"llama")),
            entry("llama.block_count", 4, U32.pack(block_count)),
            entry("general.name", STRING, gguf_string(b"claims layers")),
        ]
    )


def nested_arrays(depth: int) -> bytes:
    return entry("deep", ARRAY, (U32.pack(ARRAY) + U64.pack(1)) * depth + U32.pack(4) + U64.pack(0))


# ---- strategies -------------------------------------------------------------------------------


def claimed_length(actual: int) -> st.SearchStrategy[int]:
    return st.one_of(
        st.just(actual), st.just(actual), st.sampled_from(LIES), st.integers(0, 2**64 - 1)
    )


def value_types(depth: int) -> st.SearchStrategy[int]:
    known = [*SCALAR_SIZES, STRING] + ([ARRAY] if depth < 3 else [])
    return st.one_of(st.sampled_from(known), st.integers(0, 2**32 - 1))


@st.composite
def payloads(draw: st.DrawFn, value_type: int, depth: int = 0) -> bytes:
    if value_type in SCALAR_SIZES:
        size = SCALAR_SIZES[value_type]
        return draw(st.binary(min_size=size, max_size=size))
    if value_type == STRING:
        raw = draw(st.binary(max_size=24))
        return gguf_string(raw, draw(claimed_length(len(raw))))
    if value_type == ARRAY:
        element_type = draw(value_types(depth + 1))
        # Past 64 elements an array is skipped, not kept: both paths are read.
        many = element_type in SCALAR_SIZES or element_type == STRING
        count = draw(st.sampled_from([0, 1, 3, 70]) if many else st.integers(0, 3))
        elements = b"".join(draw(payloads(element_type, depth + 1)) for _ in range(count))
        return U32.pack(element_type) + U64.pack(draw(claimed_length(count))) + elements
    return draw(st.binary(max_size=16))  # an unknown type: whatever follows


@st.composite
def metadata_entries(draw: st.DrawFn) -> bytes:
    key = draw(st.one_of(st.sampled_from(KEYS), st.text(max_size=12))).encode()
    value_type = draw(value_types(0))
    return (
        gguf_string(key, draw(claimed_length(len(key))))
        + U32.pack(value_type)
        + draw(payloads(value_type))
    )


@st.composite
def tensor_infos(draw: st.DrawFn) -> bytes:
    n_dims = draw(st.one_of(st.integers(0, 4), st.sampled_from([5, 2**32 - 1])))
    dims = draw(
        st.lists(
            st.one_of(st.integers(1, 4096), st.sampled_from(LIES)),
            min_size=min(n_dims, 5),
            max_size=min(n_dims, 5),
        )
    )
    known_type = st.sampled_from(list(TENSOR_BLOCK_SIZES))
    ggml_type = draw(st.one_of(known_type, st.integers(0, 2**32 - 1)))
    offset = draw(st.one_of(st.integers(0, 1 << 16), st.sampled_from(LIES)))
    return tensor_info(draw(st.binary(max_size=12)), dims, ggml_type, offset, n_dims)


@st.composite
def damaged(draw: st.DrawFn, blob: bytes, *, near: int | None = None) -> bytes:
    """`blob` with a few spans overwritten (with bytes or a lying number) and maybe cut short."""
    data = bytearray(blob)
    for _ in range(draw(st.integers(0, 4))):
        end = len(data) if near is None or draw(st.booleans()) else min(near, len(data))
        at = draw(st.integers(0, max(0, end - 1)))
        lie = st.sampled_from(LIES).map(U64.pack)
        patch = draw(st.one_of(st.binary(min_size=1, max_size=8), lie))
        data[at : at + len(patch)] = patch
    if draw(st.booleans()):
        del data[draw(st.integers(0, len(data))) :]
    return bytes(data)


@st.composite
def random_headers(draw: st.DrawFn) -> bytes:
    entries = draw(st.lists(metadata_entries(), max_size=6))
    tensors = draw(st.lists(tensor_infos(), max_size=4))
    blob = gguf_file(
        entries,
        tensors,
        version=draw(st.sampled_from([3, 3, 3, 2, 1, 99, 0x03000000])),
        kv_count=draw(claimed_length(len(entries))),
        tensor_count=draw(claimed_length(len(tensors))),
        data=draw(st.integers(0, 4096)),
    )
    return draw(damaged(blob))


# ---- the property -----------------------------------------------------------------------------


def read_within_bounds(path: Path, blob: bytes) -> GgufHeader | None:
    """The header of `blob` written to `path`, or None when refused with `ModelError`; fails
    on any other exception, on a read slower than the time limit, or one that allocated more
    than the memory limit."""
    path.write_bytes(blob)
    tracemalloc.start()
    started = time.monotonic()
    try:
        return read_gguf_header(path)
    except ModelError as error:
        assert str(path) in error.message
        return None
    finally:
        elapsed = time.monotonic() - started
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        assert elapsed < TIME_LIMIT_S, f"reading took {elapsed:.1f} s"
        assert peak < MEMORY_LIMIT, f"reading allocated {peak:,} bytes"


@pytest.fixture(scope="module")
def scratch(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("fuzz") / "model.gguf"


@pytest.fixture(scope="module")
def real_header(embedded_gguf: Path) -> bytes:
    """The embedded model's header (metadata, vocabulary, tensor list), without its weights."""
    offset = read_gguf_header(embedded_gguf).data_offset
    with embedded_gguf.open("rb") as handle:
        return handle.read(offset)


@pytest.mark.timeout(120)
@settings(max_examples=600, deadline=None)
@given(blob=random_headers())
@example(blob=llama_header(0))
@example(blob=llama_header(1000))
@example(blob=gguf_file([gguf_string(b"k", 2**63) + U32.pack(STRING)], kv_count=1))
@example(blob=gguf_file([entry("s", STRING, gguf_string(b"x", 2**63))]))
@example(blob=gguf_file([entry("s", STRING, gguf_string(b"x", 2**64 - 1))]))
@example(blob=gguf_file([entry("a", ARRAY, U32.pack(0) + U64.pack(2**60))]))
@example(blob=gguf_file([entry("a", ARRAY, U32.pack(10) + U64.pack(2**60))]))
@example(blob=gguf_file([entry("a", ARRAY, U32.pack(STRING) + U64.pack(2**60))]))
@example(blob=gguf_file([entry("a", ARRAY, U32.pack(ARRAY) + U64.pack(2**60))]))
@example(blob=gguf_file([entry("a", ARRAY, U32.pack(13) + U64.pack(2**60))]))
@example(blob=gguf_file([nested_arrays(1_000)]))
@example(blob=gguf_file([], [tensor_info(b"t", [2**63] * 4, 0, 0, 2**32 - 1)]))
@example(blob=gguf_file([], [tensor_info(b"t", [2**63] * 4, 0, 2**63, 4)]))
@example(blob=gguf_file([], kv_count=2**64 - 1, tensor_count=2**63))
@example(blob=gguf_file([entry("general.alignment", 4, U32.pack(0))]))
@example(blob=gguf_file([entry("general.alignment", 10, U64.pack(2**64 - 1))]))
@example(blob=gguf_file([entry("x", 2**32 - 1, b"")]))
def test_any_header_is_read_or_refused_within_bounds(scratch: Path, blob: bytes) -> None:
    read_within_bounds(scratch, blob)


@pytest.mark.timeout(120)
@settings(max_examples=150, deadline=None)
@given(data=st.data())
def test_damage_to_a_real_header_is_read_or_refused_within_bounds(
    scratch: Path, real_header: bytes, data: st.DataObject
) -> None:
    # Half the damage lands in the first 4 KiB: the counts and the first metadata entries.
    read_within_bounds(scratch, data.draw(damaged(real_header, near=4096)))


@pytest.mark.parametrize("block_count", [0, 1000])
def test_the_block_counts_that_abort_llama_cpp_pass_the_header_check(
    scratch: Path, block_count: int
) -> None:
    header = read_within_bounds(scratch, llama_header(block_count))
    assert header is not None and header.block_count == block_count


def test_lengths_that_lie_are_refused_as_damage(scratch: Path) -> None:
    refusals = {
        "truncated": gguf_file([entry("s", STRING, gguf_string(b"x", 2**63))]),
        "nested more than 8 deep": gguf_file([nested_arrays(1_000)]),
        "4,294,967,295 dimensions": gguf_file([], [tensor_info(b"t", [1] * 4, 0, 0, 2**32 - 1)]),
        "counts are impossible": gguf_file([], kv_count=2**64 - 1),
    }
    for message, blob in refusals.items():
        scratch.write_bytes(blob)
        with pytest.raises(ModelError, match=message):
            read_gguf_header(scratch)
