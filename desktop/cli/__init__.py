"""The command-line interface: the app's services without Qt.

`python -m desktop` with no subcommand starts the GUI; `python -m desktop SUBCOMMAND ...` runs a
command. Each module in `desktop.cli.commands` registers its own subcommands.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import os
import pkgutil
import sys
from collections.abc import Sequence

from desktop import APP_NAME, __version__
from desktop.cli import commands
from desktop.cli.context import (
    EXIT_BROKEN_PIPE,
    EXIT_INTERRUPTED,
    EXIT_USAGE,
    CliContext,
    add_common_options,
)
from desktop.core.errors import VivaError


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="viva", description=f"{APP_NAME}: offline interview practice with local grading."
    )
    parser.add_argument("--version", action="version", version=f"{APP_NAME} {__version__}")
    add_common_options(parser)
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for module_info in sorted(pkgutil.iter_modules(commands.__path__), key=lambda m: m.name):
        module = importlib.import_module(f"{commands.__name__}.{module_info.name}")
        module.register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        context = CliContext.from_args(args)
    except VivaError as error:
        return _report(error)
    if args.command is None:
        from desktop.app import run_gui

        return run_gui(context.paths)
    try:
        status = _run_command(args, context)
        sys.stdout.flush()  # a reader that went away is found here, not at interpreter exit
        return status
    except BrokenPipeError:
        # The reader stopped reading (`viva questions --json | head -1`): nothing more is
        # written, the exit status is the shell's for a pipe closed under a writer.
        _discard_stdout()
        return EXIT_BROKEN_PIPE
    finally:
        context.close()


def _run_command(args: argparse.Namespace, context: CliContext) -> int:
    try:
        return int(args.handler(args, context))
    except VivaError as error:
        return _report(error)
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED


def _report(error: VivaError) -> int:
    print(f"error: {error.message}", file=sys.stderr)
    if error.details:
        print(f"details: {error.details}", file=sys.stderr)
    return EXIT_USAGE


def _discard_stdout() -> None:
    """Points stdout at the null device, so the output still buffered is dropped quietly
    (Python flushes stdout once more when it exits)."""
    # OSError, ValueError: a stdout without a file descriptor (captured, replaced).
    with contextlib.suppress(OSError, ValueError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
