"""One owner for the model: a swap closes the old `Llama` before the new one loads, and its
memory goes back (its file is unmapped and the process shrinks); a bad choice changes nothing."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from desktop.core.errors import ModelError
from desktop.grading.backend import ChatMessage
from desktop.grading.factory import ModelHost
from desktop.grading.llama.local import LocalLlamaBackend
from desktop.grading.settings import ModelSettings
from desktop.paths import UserPaths

HELLO = [ChatMessage("user", "Say hello.")]
MIB = 1024 * 1024


def resident_bytes() -> int:
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    raise AssertionError("no VmRSS in /proc/self/status")


def is_mapped(path: Path) -> bool:
    return str(path.resolve()) in Path("/proc/self/maps").read_text(encoding="utf-8")


@pytest.fixture
def own_smol(embedded_gguf: Path, tmp_path: Path) -> Path:
    """A private copy of the embedded model: no other test's `Llama` maps this file, so its
    mapping tells exactly whether the host closed its own model."""
    copy = tmp_path / "own-smol.gguf"
    shutil.copyfile(embedded_gguf, copy)
    return copy


def test_swap_closes_the_old_model_and_its_memory_returns(
    user_paths: UserPaths, gemma_gguf: Path, own_smol: Path
) -> None:
    host = ModelHost(user_paths)
    try:
        gemma = host.use(ModelSettings(model=str(gemma_gguf), n_ctx=512))
        assert isinstance(gemma, LocalLlamaBackend)
        gemma.complete(HELLO, schema=None, max_tokens=4)  # loads and touches every weight
        with_gemma = resident_bytes()
        assert is_mapped(gemma_gguf)

        smol = host.use(ModelSettings(model=str(own_smol), n_ctx=512))
        assert host.backend is smol is not gemma
        assert not is_mapped(gemma_gguf)
        after_swap = resident_bytes()
        # Most of Gemma's 241 MiB of weights left the process.
        assert with_gemma - after_swap > gemma_gguf.stat().st_size // 2

        assert isinstance(smol, LocalLlamaBackend)
        assert smol.complete(HELLO, schema=None, max_tokens=4).completion_tokens > 0
        assert is_mapped(own_smol)
    finally:
        host.close()
    assert host.backend is None
    assert not is_mapped(own_smol)


def test_a_bad_choice_keeps_the_current_model(
    user_paths: UserPaths, embedded_gguf: Path, tmp_path: Path
) -> None:
    host = ModelHost(user_paths)
    try:
        current = host.use(ModelSettings(model="embedded", n_ctx=512))
        broken = tmp_path / "broken.gguf"
        broken.write_bytes(b"GGUF" + bytes(100))
        with pytest.raises(ModelError, match=r"broken\.gguf"):
            host.use(ModelSettings(model=str(broken)))
        assert host.backend is current
        assert current is not None
        assert current.complete(HELLO, schema=None, max_tokens=4).completion_tokens > 0
    finally:
        host.close()


def test_choosing_no_model_closes_the_current_one(user_paths: UserPaths, own_smol: Path) -> None:
    host = ModelHost(user_paths)
    current = host.use(ModelSettings(model=str(own_smol), n_ctx=512))
    assert current is not None
    current.complete(HELLO, schema=None, max_tokens=2)
    assert is_mapped(own_smol)
    assert host.use(ModelSettings(model="none")) is None
    assert not is_mapped(own_smol)
