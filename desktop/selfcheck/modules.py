"""Every module of the app imports: in a bundle this catches a module or library left out."""

from __future__ import annotations

import importlib
import pkgutil

import desktop
from desktop.selfcheck.outcome import CheckFailed

# `python -m desktop` runs this as `__main__`; importing it again would start the CLI.
_SKIPPED = frozenset({"desktop.__main__"})


def app_module_names() -> list[str]:
    """The package and everything under it. A subpackage that fails to import is still listed
    (walking it needs importing it), so the check reports its error."""
    names = {"desktop"}
    for module in pkgutil.walk_packages(desktop.__path__, prefix="desktop.", onerror=names.add):
        names.add(module.name)
    return sorted(names - _SKIPPED)


def check_modules() -> str:
    names = app_module_names()
    broken = []
    for name in names:
        try:
            importlib.import_module(name)
        except Exception as error:  # any import failure is what this check looks for
            broken.append(f"{name}: {type(error).__name__}: {error}")
    if broken:
        raise CheckFailed(
            f"{len(broken)} of {len(names)} app modules do not import; first: {broken[0]}",
            details="\n".join(broken),
        )
    if len(names) < 2:
        raise CheckFailed("the app's modules cannot be listed (only the package itself found)")
    return f"all {len(names)} app modules import"
