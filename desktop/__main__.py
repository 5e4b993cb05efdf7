"""`python -m desktop`: the GUI, or a subcommand of the command-line interface."""

from __future__ import annotations

import sys

from desktop.cli import main

if __name__ == "__main__":
    sys.exit(main())
