"""The grading model as the app's screens see it: which models there are, which one is chosen
and with what options, whether it is loaded, and how far it can be trusted.

`desktop.grading.model_manager.ModelManager` implements `ModelService` over the grading
package; the UI is typed against this Protocol only. Slow methods (`load`, `check_reliability`,
`discover`) are called off the GUI thread.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from desktop.core.grading.calibration import CalibrationResult
from desktop.core.grading.grades import Grader
from desktop.core.grading.model_files import ModelInfo

NO_MODEL = "none"
EMBEDDED_MODEL = "embedded"
GPU_LAYERS_AUTO = "auto"
NO_MODEL_SENTENCE = "No model: you rate yourself"
DEFAULT_TIMEOUT_S = 120.0
UNRELIABLE_ADVICE = (
    "Grades use word matching only, which cannot tell a claim from its opposite. Choose a "
    "stronger model on the Models screen (the recommended one installs with "
    "`python -m desktop models install`)."
)

# Called with (cases done, cases in all) while the reliability check runs.
CheckProgress = Callable[[int, int], None]


@dataclass(frozen=True)
class ModelOptions:
    """The learner's choice: `model` is a GGUF path, "embedded", "none" or a server's
    http(s)://.../v1 URL; `n_threads` 0 means automatic (every physical core but one, which
    the window keeps)."""

    model: str = EMBEDDED_MODEL
    n_ctx: int = 4096
    n_threads: int = 0
    n_gpu_layers: int | str = GPU_LAYERS_AUTO
    timeout_s: float = DEFAULT_TIMEOUT_S

    @property
    def is_none(self) -> bool:
        return self.model == NO_MODEL


@dataclass(frozen=True)
class ModelState:
    """What is in use now. `problem` says why the chosen model is not loaded (the app then
    asks the learner to rate themselves); `reliability` is None until it was measured."""

    choice: str = NO_MODEL
    name: str = ""
    loaded: bool = False
    reliability: CalibrationResult | None = None
    problem: str = ""

    @property
    def unreliable(self) -> bool:
        """Loaded and measured, and its verdicts earned no weight: grades are word matching."""
        return self.loaded and self.reliability is not None and self.reliability.unreliable

    @property
    def summary(self) -> str:
        """One line for the home screen and the status bar."""
        if not self.loaded:
            if self.problem:
                return f"{NO_MODEL_SENTENCE} ({self.problem})"
            return NO_MODEL_SENTENCE
        if self.reliability is None:
            return f"{self.name}: reliability not measured yet — grades use word matching"
        if self.unreliable:
            return (
                f"{self.name} cannot grade reliably (it agrees with known grades in "
                f"{self.reliability.agreed} of {self.reliability.cases} cases). "
                + UNRELIABLE_ADVICE
            )
        return f"{self.name}: {self.reliability.sentence}"


class ModelService(Protocol):
    def discover(self) -> list[ModelInfo]:
        """Models found in the model folders, the embedded one, and files the learner added."""
        ...

    def add_model_file(self, path: Path) -> ModelInfo:
        """Remembers a GGUF file elsewhere on disk; its description says if it is unusable."""
        ...

    def options(self) -> ModelOptions:
        """The saved choice (or the default one when nothing was ever chosen)."""
        ...

    def save_options(self, options: ModelOptions) -> None:
        """Checks and saves the choice; raises `ModelError` naming a bad value."""
        ...

    def load(self, options: ModelOptions) -> ModelState:
        """Closes the current model and loads the chosen one with its cached reliability.
        A model that cannot be used leaves no model loaded and says why in `problem`."""
        ...

    def state(self) -> ModelState: ...

    def check_reliability(
        self,
        *,
        cancel: threading.Event | None = None,
        progress: CheckProgress | None = None,
        remeasure: bool = False,
    ) -> CalibrationResult:
        """The loaded model's agreement with cases of known grade: cached per model file, or
        measured now (always with `remeasure`). A cancelled check resumes where it stood."""
        ...

    def grader(self) -> Grader | None:
        """The grader of the loaded model; None when there is no model (self-rating)."""
        ...

    def close(self) -> None: ...
