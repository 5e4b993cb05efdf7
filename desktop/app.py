"""Composition root: paths -> logging -> database (migrate) -> services -> Qt -> window."""

from __future__ import annotations

import sys

from desktop.paths import UserPaths


def run_gui(paths: UserPaths) -> int:
    from desktop.ui.main import run  # Qt is imported only when the GUI starts

    return run(paths)


def main() -> int:
    """The `viva` console script: same as `python -m desktop`."""
    from desktop.cli import main as cli_main

    return cli_main(sys.argv[1:])
