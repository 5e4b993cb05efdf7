"""The GGUF header reader on the real embedded and Gemma files (checked against llama.cpp's own
reading of them), and every kind of unusable file refused with its own message."""

from __future__ import annotations

import shutil
import struct
from pathlib import Path

import pytest

from desktop.core.errors import ModelError
from desktop.grading.llama.hardware import available_memory_bytes, check_fits_in_memory
from desktop.grading.model_files.gguf import read_gguf_header
from desktop.grading.model_files.gguf_values import SkippedArray


def gguf_string(text: str) -> bytes:
    raw = text.encode("utf-8")
    return struct.pack("<Q", len(raw)) + raw


def write_gguf(
    path: Path,
    *,
    metadata: dict[str, str | int],
    tensors: list[tuple[str, tuple[int, ...], int]],
    version: int = 3,
    data_bytes: int | None = None,
) -> Path:
    """A GGUF file with string / uint32 metadata and F32 (type 0) or other tensors laid out one
    after another. The data section is sparse: `truncate` sets the size without writing it."""
    header = b"GGUF" + struct.pack("<IQQ", version, len(tensors), len(metadata))
    for key, value in metadata.items():
        header += gguf_string(key)
        if isinstance(value, str):
            header += struct.pack("<I", 8) + gguf_string(value)
        else:
            header += struct.pack("<II", 4, value)
    offset = 0
    for name, shape, ggml_type in tensors:
        header += gguf_string(name) + struct.pack("<I", len(shape))
        header += b"".join(struct.pack("<Q", dim) for dim in shape)
        header += struct.pack("<IQ", ggml_type, offset)
        elements = 1
        for dim in shape:
            elements *= dim
        offset += -(-elements * 4 // 32) * 32
    data_start = -(-len(header) // 32) * 32
    with path.open("wb") as handle:
        handle.write(header)
        handle.truncate(data_start + (offset if data_bytes is None else data_bytes))
    return path


def test_embedded_model_metadata(embedded_gguf: Path) -> None:
    header = read_gguf_header(embedded_gguf)
    assert header.architecture == "llama"
    assert header.quantization == "Q4_1"  # as its file name says
    assert header.size_label == "135M"
    assert 130e6 < header.parameter_count < 140e6
    assert header.context_length == 8192
    assert "<|im_start|>" in header.chat_template
    assert header.file_size == embedded_gguf.stat().st_size
    assert header.required_size == header.file_size
    vocabulary = header.metadata["tokenizer.ggml.tokens"]
    assert isinstance(vocabulary, SkippedArray) and vocabulary.length == 49152


def test_gemma_metadata_has_no_chat_template(gemma_gguf: Path) -> None:
    header = read_gguf_header(gemma_gguf)
    assert header.architecture == "gemma3"
    assert header.quantization == "Q4_K_M"  # as its file name says
    assert header.chat_template == ""
    assert header.context_length == 32768
    assert 260e6 < header.parameter_count < 280e6
    assert header.required_size == header.file_size == gemma_gguf.stat().st_size


@pytest.mark.model
@pytest.mark.parametrize("which", ["embedded_gguf", "gemma_gguf"])
def test_metadata_agrees_with_llama_cpp(which: str, request: pytest.FixtureRequest) -> None:
    import llama_cpp

    path: Path = request.getfixturevalue(which)
    header = read_gguf_header(path)
    llm = llama_cpp.Llama(model_path=str(path), n_ctx=64, verbose=False)
    try:
        assert header.parameter_count == llama_cpp.llama_model_n_params(llm.model)
        assert header.context_length == llama_cpp.llama_model_n_ctx_train(llm.model)
        for key in ("general.architecture", "general.name", "general.file_type"):
            assert str(header.metadata[key]) == llm.metadata[key]
        assert bool(header.chat_template) == ("tokenizer.chat_template" in llm.metadata)
    finally:
        llm.close()


def test_missing_file_and_folder(tmp_path: Path) -> None:
    with pytest.raises(ModelError, match="does not exist"):
        read_gguf_header(tmp_path / "nothing.gguf")
    with pytest.raises(ModelError, match="is a folder"):
        read_gguf_header(tmp_path)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "only 0 bytes"),
        (bytes(range(256)) * 16, "not a GGUF model"),
        (b"version https://git-lfs.github.com/spec/v1\noid sha256:abc\nsize 1\n", "Git LFS"),
        (b"PK\x03\x04" + bytes(60), "zip archive"),
        (struct.pack("<Q", 60) + b'{"__metadata__":{}}' + bytes(40), "safetensors"),
        (b"ggjt" + bytes(60), "old GGML"),
        (b"GGUF" + struct.pack("<IQQ", 1, 0, 0), "version 1"),
        (b"GGUF" + struct.pack("<IQQ", 99, 0, 0), "version 99"),
        (b"GGUF" + struct.pack(">IQQ", 3, 0, 0), "big-endian"),
        (b"GGUF" + struct.pack("<IQQ", 3, 0, 10**12), "damaged"),
    ],
)
def test_bad_files_are_refused_with_their_reason(
    tmp_path: Path, content: bytes, message: str
) -> None:
    path = tmp_path / "model.gguf"
    path.write_bytes(content)
    with pytest.raises(ModelError, match=message) as raised:
        read_gguf_header(path)
    assert str(path) in raised.value.message


def test_copy_cut_inside_the_header_is_truncated(embedded_gguf: Path, tmp_path: Path) -> None:
    header = read_gguf_header(embedded_gguf)
    cut = tmp_path / "cut-header.gguf"
    with embedded_gguf.open("rb") as source:
        cut.write_bytes(source.read(header.data_offset // 2))
    with pytest.raises(ModelError, match="truncated: its header stops"):
        read_gguf_header(cut)


def test_copy_cut_inside_the_weights_is_truncated(embedded_gguf: Path, tmp_path: Path) -> None:
    header = read_gguf_header(embedded_gguf)
    cut = tmp_path / "cut-weights.gguf"
    with embedded_gguf.open("rb") as source, cut.open("wb") as target:
        shutil.copyfileobj(source, target)
        target.truncate(header.file_size - 1)
    with pytest.raises(ModelError, match=r"truncated: it is .* but its weights need"):
        read_gguf_header(cut)


def test_model_larger_than_memory_is_refused_before_loading(tmp_path: Path) -> None:
    available = available_memory_bytes()
    assert available is not None
    elements = available // 4 * 4  # F32: four times the available memory
    path = write_gguf(
        tmp_path / "huge.gguf",
        metadata={"general.architecture": "llama", "llama.block_count": 2},
        tensors=[(f"blk.{n}.weight", (elements // 2,), 0) for n in range(2)],
    )
    header = read_gguf_header(path)  # the header reads fine: the file is sparse
    assert header.required_size == header.file_size > 3 * available
    with pytest.raises(ModelError, match=r"needs about .* GiB of memory"):
        check_fits_in_memory(header, 4096, 0)
    # All layers offloaded to a GPU: the weights do not count against the RAM.
    assert check_fits_in_memory(header, 4096, -1).fits


def test_synthetic_file_round_trip(tmp_path: Path) -> None:
    path = write_gguf(
        tmp_path / "tiny.gguf",
        metadata={"general.architecture": "llama", "general.name": "Tiny", "general.file_type": 15},
        tensors=[("a", (4, 8), 0), ("b", (16,), 0)],
    )
    header = read_gguf_header(path)
    assert (header.name, header.quantization, header.parameter_count) == ("Tiny", "Q4_K_M", 48)
    assert header.tensor_count == 2
