"""What the load probe (`load_probe`) found out about each model file, kept so a file is probed
once: the `model_load_checks` settings group, one entry per file, valid while the file keeps its
size and modification time (a file replaced or changed is probed again).
"""

from __future__ import annotations

import logging
import os
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from desktop.core.errors import VivaError
from desktop.core.grading.model_files import ModelInfo
from desktop.core.settings import SettingsStore
from desktop.grading.model_files.model_path import same_place

log = logging.getLogger(__name__)
VERDICTS_GROUP = "model_load_checks"


@dataclass(frozen=True)
class LoadVerdict:
    """Whether llama.cpp opened the file in a child process. `lasting` is False for an outcome
    that says nothing about the file itself (a time limit, the child not starting): it is not
    kept, and the next load probes again."""

    usable: bool
    problem: str = ""
    lasting: bool = True


class MemorySettings:
    """A `SettingsStore` that lives as long as the process (for a host without a database)."""

    def __init__(self) -> None:
        self._groups: dict[str, dict[str, Any]] = {}

    def load_group(self, name: str) -> dict[str, Any] | None:
        return self._groups.get(name)

    def save_group(self, name: str, values: dict[str, Any]) -> None:
        self._groups[name] = dict(values)


def _identity(path: Path) -> tuple[str, dict[str, int]] | None:
    """The entry's key and the file's size and time; None when the file cannot be looked at."""
    try:
        facts = os.stat(path)
    except OSError:
        return None
    return str(same_place(path)), {"size": facts.st_size, "mtime_ns": facts.st_mtime_ns}


class LoadVerdicts:
    """The verdicts kept in `store` (`MemorySettings` when None: kept for this process only)."""

    def __init__(self, store: SettingsStore | None = None) -> None:
        self._store: SettingsStore = store if store is not None else MemorySettings()

    def _entries(self) -> dict[str, Any]:
        return dict(self._store.load_group(VERDICTS_GROUP) or {})

    def known(self, path: Path) -> LoadVerdict | None:
        """The kept verdict on this file as it is now; None when it was never probed (or has
        changed since)."""
        identity = _identity(path)
        if identity is None:
            return None
        key, facts = identity
        entry = self._entries().get(key)
        if not isinstance(entry, dict) or any(entry.get(k) != v for k, v in facts.items()):
            return None
        return LoadVerdict(bool(entry.get("usable")), str(entry.get("problem", "")))

    def remember(self, path: Path, verdict: LoadVerdict) -> None:
        """Keeps a lasting verdict. One that cannot be kept (a read-only database) only means
        the file is probed again next time."""
        identity = _identity(path)
        if identity is None or not verdict.lasting:
            return
        key, facts = identity
        entries = self._entries()
        entries[key] = {**facts, "usable": verdict.usable, "problem": verdict.problem}
        try:
            self._store.save_group(VERDICTS_GROUP, entries)
        except VivaError as error:
            log.warning("the load check of %s is not kept: %s", path, error)

    def mark_unusable(self, models: Sequence[ModelInfo]) -> list[ModelInfo]:
        """`models` with each file that failed its probe marked unusable, with the reason."""
        marked = []
        for model in models:
            verdict = self.known(model.path) if model.usable else None
            if verdict is not None and not verdict.usable:
                model = replace(model, problem=unusable_message(model.path, verdict.problem))
            marked.append(model)
        return marked


def unusable_message(path: Path, problem: str) -> str:
    """What a learner reads about a file that failed its probe."""
    return (
        f"{path} cannot be loaded: {problem}. The file is damaged or not a model this app's "
        "llama.cpp can run: choose another model (or 'none' for word matching)."
    )
