"""`python -m desktop`: the GUI, or a subcommand of the command-line interface."""

from __future__ import annotations

import sys

from desktop.cli import main

if __name__ == "__main__":
    if sys.argv[1:2] == ["--chat-template-worker"]:  # the bundle's chat template child process
        from desktop.grading import run_chat_template_worker

        sys.exit(run_chat_template_worker(sys.argv[2:]))
    sys.exit(main())
