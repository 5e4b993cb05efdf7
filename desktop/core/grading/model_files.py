"""What the app knows about a grading model it found: where it is, what its GGUF file says about
itself, and why it cannot be used when it cannot. The UI lists these without touching grading.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path


class ModelSource(StrEnum):
    """Where a model was found, in the order a default is chosen from."""

    EXPLICIT = "explicit"  # a path the user gave
    USER = "user"  # the user's data folder, models/
    INSTALL = "install"  # models/ beside the app
    EMBEDDED = "embedded"  # SmolLM2-135M-Instruct, installed with the app


@dataclass(frozen=True)
class ModelInfo:
    """A local GGUF model. `problem` is empty for a usable file, else why it cannot be used
    (truncated, not GGUF ...); the metadata fields are then empty."""

    path: Path
    source: ModelSource
    name: str
    architecture: str = ""
    parameter_count: int = 0
    size_label: str = ""
    quantization: str = ""
    context_length: int | None = None
    has_chat_template: bool = False
    file_size: int = 0
    problem: str = ""

    @property
    def usable(self) -> bool:
        return not self.problem

    @property
    def parameters_text(self) -> str:
        """The size ("135M", "7.2B"): the label when the file has one, else from the count."""
        if self.size_label:
            return self.size_label
        if self.parameter_count >= 1_000_000_000:
            return f"{self.parameter_count / 1e9:.1f}B"
        if self.parameter_count:
            return f"{round(self.parameter_count / 1e6)}M"
        return ""

    def as_json(self) -> dict[str, object]:
        return {
            "path": str(self.path),
            "source": self.source.value,
            "name": self.name,
            "architecture": self.architecture,
            "parameter_count": self.parameter_count,
            "parameters": self.parameters_text,
            "quantization": self.quantization,
            "context_length": self.context_length,
            "has_chat_template": self.has_chat_template,
            "file_size": self.file_size,
            "usable": self.usable,
            "problem": self.problem,
        }
