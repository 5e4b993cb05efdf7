"""The layering of DESIGN.md, checked on every run (import-linter contracts in pyproject.toml)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_import_contracts_hold() -> None:
    lint_imports = shutil.which("lint-imports", path=str(Path(sys.executable).parent))
    assert lint_imports, "import-linter is part of the dev extras"
    result = subprocess.run([lint_imports], cwd=ROOT, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr


# Third-party packages that exactly one of our packages may import directly.
OWNERS = {
    "sqlalchemy": "desktop/storage",
    "llama_cpp": "desktop/grading/llama",
    "PySide6.QtWidgets": "desktop/ui",
}


def _imported_modules(path: Path) -> set[str]:
    import ast

    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
    return found


def test_each_third_party_layer_has_one_owner() -> None:
    strays = []
    for path in sorted((ROOT / "desktop").rglob("*.py")):
        relative = path.relative_to(ROOT).as_posix()
        for module in _imported_modules(path):
            for owned, owner in OWNERS.items():
                if (module == owned or module.startswith(owned + ".")) and not relative.startswith(
                    owner + "/"
                ):
                    strays.append(f"{relative} imports {module} (only {owner} may)")
    assert strays == []


# Modules that start threads: one place, so no object is used from two threads by accident.
THREAD_STARTERS = (
    "threading.Thread",
    "concurrent.futures.ThreadPoolExecutor",
    "PySide6.QtCore.QThread",
)


def test_only_the_task_runner_starts_threads() -> None:
    starters = []
    for path in sorted((ROOT / "desktop").rglob("*.py")):
        relative = path.relative_to(ROOT).as_posix()
        if relative == "desktop/ui/tasks.py":
            continue
        used = _imported_modules(path) | _dotted_names(path)
        starters.extend(
            f"{relative} uses {name}" for name in sorted(used) if name in THREAD_STARTERS
        )
    assert starters == []


def _dotted_names(path: Path) -> set[str]:
    """`threading.Thread` and the like, as written in expressions."""
    import ast

    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
            names.add(f"{node.value.id}.{node.attr}")
        elif isinstance(node, ast.Attribute) and isinstance(node.value, ast.Attribute):
            inner = node.value
            if isinstance(inner.value, ast.Name):
                names.add(f"{inner.value.id}.{inner.attr}.{node.attr}")
    return names
