"""`selfcheck`: checks that this install works (Qt, database, built-in bank, model, report) in a
temporary folder, one line per check; exit status 0 only when every check passes (a missing
model is a warning, not a failure: the app works without one)."""

from __future__ import annotations

import argparse
import sys
import time
from typing import Any

from desktop import APP_NAME, __version__
from desktop.cli.context import EXIT_FAILED, EXIT_OK, CliContext, add_json_option, print_json
from desktop.selfcheck import CheckOutcome, run_selfcheck


def register(subparsers: Any) -> None:
    selfcheck = subparsers.add_parser(
        "selfcheck",
        help="check that this install works (never touches your own data)",
        description=(
            "Checks that the app's modules import, Qt shows a window (offscreen without a "
            "display), a database opens and migrates, the built-in bank imports, a model loads "
            "and grades one answer, and a PDF report renders, all in a temporary folder."
        ),
    )
    add_json_option(selfcheck)
    selfcheck.add_argument(
        "--model",
        help="the model to check: a GGUF path, a model's file name, 'embedded' or a /v1 URL "
        "(default: the embedded model, else the model the app would use)",
    )
    selfcheck.set_defaults(handler=run_selfcheck_command)


def _print_line(outcome: CheckOutcome) -> None:
    status = "warn" if outcome.warning else "ok  " if outcome.passed else "FAIL"
    print(f"{status} {outcome.name:<9} {outcome.message} ({outcome.seconds:.1f} s)", flush=True)
    if not outcome.passed and outcome.details:
        for line in outcome.details.rstrip().splitlines():
            print(f"     {line}", file=sys.stderr)


def run_selfcheck_command(args: argparse.Namespace, context: CliContext) -> int:
    started = time.monotonic()
    if not args.json:
        print(f"{APP_NAME} {__version__} selfcheck ({sys.executable})", flush=True)
    outcomes = run_selfcheck(
        context.paths, model=args.model, on_outcome=None if args.json else _print_line
    )
    passed = all(outcome.passed for outcome in outcomes)
    seconds = time.monotonic() - started
    if args.json:
        print_json(
            {
                "version": __version__,
                "passed": passed,
                "seconds": round(seconds, 3),
                "checks": [outcome.as_json() for outcome in outcomes],
            }
        )
    else:
        failed = [outcome.name for outcome in outcomes if not outcome.passed]
        warned = [outcome.name for outcome in outcomes if outcome.warning]
        verdict = "all checks passed" if passed else f"FAILED: {', '.join(failed)}"
        if passed and warned:
            verdict += f", with a warning: {', '.join(warned)}"
        print(f"{verdict} in {seconds:.1f} s")
    return EXIT_OK if passed else EXIT_FAILED
