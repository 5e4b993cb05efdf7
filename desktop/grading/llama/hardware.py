"""What this computer can run: GPU offload in the installed llama.cpp build, available memory,
and whether a model fits before llama.cpp tries to load it (a model too large for memory makes
the whole machine swap instead of failing cleanly).
"""

from __future__ import annotations

import ctypes
import importlib.util
import os
import re
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from desktop.core.errors import ModelError
from desktop.grading.model_files.gguf import GgufHeader
from desktop.grading.settings import GPU_LAYERS_AUTO

ALL_LAYERS = -1
KV_BYTES_PER_VALUE = 2  # llama.cpp keeps the KV cache in f16 by default
FIXED_OVERHEAD = 256 * 1024 * 1024  # compute buffers, tokenizer, the app itself
GIB = 1024**3


def gpu_offload_supported() -> bool:
    """True when the installed llama.cpp was built with CUDA, Metal, Vulkan or another GPU."""
    if importlib.util.find_spec("llama_cpp") is None:
        return False
    import llama_cpp

    return bool(llama_cpp.llama_supports_gpu_offload())


@dataclass
class OffloadReport:
    """Where llama.cpp put a model's layers, read from its own log while the model loaded.
    Empty when no model loaded meanwhile (a server, or a model loaded earlier)."""

    layer_devices: dict[int, str] = field(default_factory=dict)
    offloaded_line: tuple[int, int] | None = None  # "offloaded 31/31 layers to GPU"

    @property
    def total(self) -> int | None:
        if self.offloaded_line is not None:
            return self.offloaded_line[1]
        return len(self.layer_devices) or None

    @property
    def offloaded(self) -> int | None:
        if self.offloaded_line is not None:
            return self.offloaded_line[0]
        if not self.layer_devices:
            return None
        return sum(1 for device in self.layer_devices.values() if device.upper() != "CPU")

    def sentence(self, offload_supported: bool) -> str:
        build = (
            "llama.cpp built with GPU offload"
            if offload_supported
            else ("llama.cpp built for the CPU only")
        )
        if self.total is None:
            return f"{build}; no layer placement reported"
        return f"{build}; {self.offloaded} of {self.total} layers offloaded to the GPU"

    def as_json(self) -> dict[str, int | None]:
        return {"layers_offloaded": self.offloaded, "layers_total": self.total}


_OFFLOADED = re.compile(r"offloaded (\d+)/(\d+) layers to GPU")
_LAYER_DEVICE = re.compile(r"layer\s+(\d+): dev = (\S+)")
_LOG_ERROR_LEVEL = 3


@contextmanager
def capture_offload_report() -> Iterator[OffloadReport]:
    """Listens to llama.cpp's log while the block runs (errors still reach stderr) and
    restores llama-cpp-python's own log handler afterwards."""
    report = OffloadReport()
    if importlib.util.find_spec("llama_cpp") is None:
        yield report
        return
    import llama_cpp
    from llama_cpp import _logger

    @llama_cpp.llama_log_callback  # type: ignore[untyped-decorator]
    def listen(level: int, text: bytes, _user_data: ctypes.c_void_p) -> None:
        line = text.decode("utf-8", errors="replace")
        if level == _LOG_ERROR_LEVEL:
            print(line, end="", file=sys.stderr)
        if (offloaded := _OFFLOADED.search(line)) is not None:
            report.offloaded_line = (int(offloaded.group(1)), int(offloaded.group(2)))
        elif (layer := _LAYER_DEVICE.search(line)) is not None:
            report.layer_devices[int(layer.group(1))] = layer.group(2)

    llama_cpp.llama_log_set(listen, ctypes.c_void_p(0))
    try:
        yield report
    finally:
        llama_cpp.llama_log_set(_logger.llama_log_callback, ctypes.c_void_p(0))


def resolve_gpu_layers(requested: int | str, *, offload_supported: bool | None = None) -> int:
    """`n_gpu_layers` as llama.cpp takes it: "auto" is every layer (-1) on a GPU build, else 0."""
    if requested == GPU_LAYERS_AUTO:
        supported = gpu_offload_supported() if offload_supported is None else offload_supported
        return ALL_LAYERS if supported else 0
    if isinstance(requested, int) and not isinstance(requested, bool) and requested >= ALL_LAYERS:
        return requested
    if isinstance(requested, str) and requested.strip().lstrip("-").isdigit():
        return resolve_gpu_layers(int(requested), offload_supported=offload_supported)
    raise ModelError(
        f"n_gpu_layers must be a number of layers, -1 for all, or 'auto'; got {requested!r}."
    )


def available_memory_bytes() -> int | None:
    """Memory the system can give a new program without swapping (Linux MemAvailable)."""
    try:
        with open("/proc/meminfo", encoding="ascii") as meminfo:
            for line in meminfo:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    try:
        return os.sysconf("SC_AVPHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    except (ValueError, OSError, AttributeError):
        return None


def kv_cache_bytes(header: GgufHeader, n_ctx: int) -> int:
    """Size of the KV cache for `n_ctx` tokens, from the architecture's attention shape."""
    layers = header.block_count or 0
    embedding = header.arch_number("embedding_length") or 0
    heads = header.arch_number("attention.head_count") or 1
    kv_heads = header.arch_number("attention.head_count_kv") or heads
    head_size = embedding // heads if heads else 0
    key_length = header.arch_number("attention.key_length") or head_size
    value_length = header.arch_number("attention.value_length") or head_size
    per_token = layers * kv_heads * (key_length + value_length) * KV_BYTES_PER_VALUE
    return per_token * n_ctx


@dataclass(frozen=True)
class MemoryEstimate:
    """Memory a model needs in RAM with these settings, and what the system has."""

    needed_bytes: int
    available_bytes: int | None
    gpu_layers: int

    @property
    def fits(self) -> bool:
        return self.available_bytes is None or self.needed_bytes <= self.available_bytes


def estimate_memory(
    header: GgufHeader, n_ctx: int, gpu_layers: int, *, available: int | None = None
) -> MemoryEstimate:
    """Weights kept on the CPU plus the KV cache plus a fixed margin. Layers offloaded to a GPU
    live in its memory instead, which llama.cpp checks itself when it loads them."""
    layers = header.block_count or 0
    if gpu_layers == ALL_LAYERS or (layers and gpu_layers >= layers):
        on_cpu_fraction = 0.0
    elif gpu_layers > 0 and layers:
        on_cpu_fraction = 1 - gpu_layers / layers
    else:
        on_cpu_fraction = 1.0
    on_cpu = header.file_size * on_cpu_fraction + kv_cache_bytes(header, n_ctx) * on_cpu_fraction
    needed = int(on_cpu) + FIXED_OVERHEAD
    return MemoryEstimate(
        needed, available if available is not None else available_memory_bytes(), gpu_layers
    )


def check_fits_in_memory(
    header: GgufHeader, n_ctx: int, gpu_layers: int, *, available: int | None = None
) -> MemoryEstimate:
    """Raises `ModelError` when the model would not fit in the memory available now."""
    estimate = estimate_memory(header, n_ctx, gpu_layers, available=available)
    if estimate.fits:
        return estimate
    assert estimate.available_bytes is not None
    advice = (
        "Offload more layers to the GPU, choose a smaller quantization, or lower n_ctx."
        if gpu_layers != 0
        else "Choose a smaller model or quantization (e.g. Q4_K_M), lower n_ctx, install a "
        "CUDA build of llama.cpp to run it on a GPU (see README), or use a model server."
    )
    raise ModelError(
        f"{header.path.name} needs about {estimate.needed_bytes / GIB:.1f} GiB of memory with "
        f"n_ctx={n_ctx}, but only {estimate.available_bytes / GIB:.1f} GiB are available. {advice}"
    )
