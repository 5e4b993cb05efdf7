"""Opening a model file for the first time in a child process, so a file that makes llama.cpp
abort (a damaged `block_count`, for one: it passes the header check and kills the process that
loads it) stops only the child. The verdict is kept per file (`load_verdicts`): a file that
worked is loaded in-process from then on without a second probe, and a file that failed is
refused with its reason, in the app and on the command line.

The child is this program itself with the hidden command `PROBE_COMMAND`: `python -m desktop`
from a checkout, the `viva` executable in a bundle (where `sys.executable` is that executable).
"""

from __future__ import annotations

import json
import logging
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from desktop.core.errors import ModelError
from desktop.grading.llama.load_probe_child import REPORT_PREFIX
from desktop.grading.llama.load_verdicts import LoadVerdict, LoadVerdicts, unusable_message

log = logging.getLogger(__name__)
PROBE_COMMAND = "_probe-model"
PROBE_TIMEOUT_S = 300.0  # a large model on a slow disk; a hang is a verdict of its own
_KILLED_BY_OTHERS = {signal.SIGKILL, signal.SIGTERM, signal.SIGINT}  # out of memory, a stop


def _frozen() -> bool:
    """In a bundle, where the executable is the app itself."""
    return bool(getattr(sys, "frozen", False))


def probe_command(path: Path) -> list[str]:
    """The command line of the child that probes `path`."""
    program = [sys.executable] if _frozen() else [sys.executable, "-m", "desktop"]
    return [*program, PROBE_COMMAND, "--", os.path.abspath(path)]


def probe_in_child(path: Path, *, timeout_s: float = PROBE_TIMEOUT_S) -> LoadVerdict:
    """Opens `path` with llama.cpp in a child process and says whether that worked."""
    try:
        finished = subprocess.run(
            probe_command(path),
            stdin=subprocess.DEVNULL,
            capture_output=True,
            timeout=timeout_s,
            # From a checkout, the folder where `-m desktop` finds the package.
            cwd=None if _frozen() else Path(__file__).resolve().parents[3],
            check=False,
        )
    except subprocess.TimeoutExpired:
        return LoadVerdict(
            False, f"llama.cpp did not finish opening it within {timeout_s:g} s", lasting=False
        )
    except OSError as error:
        return LoadVerdict(
            False, f"the child process that opens it could not start ({error})", lasting=False
        )
    return verdict_of(finished.returncode, finished.stdout, finished.stderr)


def verdict_of(returncode: int, stdout: bytes, stderr: bytes) -> LoadVerdict:
    """The verdict from how the child ended: its report line, else its exit status or signal."""
    for line in reversed(stdout.decode("utf-8", "replace").splitlines()):
        report = _report(line)
        if report is not None:
            return report
    said = _last_line(stderr)
    tail = f"; it said: {said}" if said else ""
    if returncode < 0:
        number = -returncode
        name = _signal_name(number)
        lasting = number not in _KILLED_BY_OTHERS
        return LoadVerdict(
            False, f"llama.cpp stopped while loading it (signal {number}, {name}){tail}", lasting
        )
    status = f"exit status {returncode}"
    return LoadVerdict(False, f"llama.cpp stopped while loading it ({status}){tail}")


def _report(line: str) -> LoadVerdict | None:
    """The child's report line as a verdict; None for any other line."""
    if not line.startswith(REPORT_PREFIX):
        return None
    try:
        report = json.loads(line.removeprefix(REPORT_PREFIX))
        return LoadVerdict(bool(report["usable"]), str(report["problem"]))
    except (ValueError, KeyError, TypeError):
        return None


def _signal_name(number: int) -> str:
    try:
        return signal.Signals(number).name
    except ValueError:
        return "unknown signal"


def _last_line(output: bytes) -> str:
    lines = [line.strip() for line in output.decode("utf-8", "replace").splitlines()]
    last = next((line for line in reversed(lines) if line), "")
    return last[:300]


def ensure_loadable(path: Path, verdicts: LoadVerdicts) -> None:
    """Probes `path` unless its verdict is kept; `ModelError` with the reason when llama.cpp
    cannot open it. A file that already worked costs one `stat`."""
    verdict = verdicts.known(path)
    if verdict is None:
        started = time.monotonic()
        verdict = probe_in_child(path)
        elapsed = time.monotonic() - started
        log.info("load probe of %s: %s in %.1f s", path, verdict, elapsed)
        verdicts.remember(path, verdict)
    if not verdict.usable:
        raise ModelError(unusable_message(path, verdict.problem))
