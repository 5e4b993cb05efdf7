"""Cold start to an interactive window: the app started as a person starts it, timed.

    python benchmarks/cold_start.py [--runs 5]

Each run starts `python -m desktop` in a fresh process on a temporary data folder; the app
prints how long after its start the window was up and the event loop turning (the model then
loads in the background) and exits. The first run of a data folder also creates the database
and imports the built-in bank; later runs open what is there. Uses the offscreen Qt platform
unless a display is set (run under `xvfb-run -a` to include a real X server).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def start_once(data_dir: Path) -> tuple[float, float]:
    """(ms until interactive as the app measured it, ms the whole process took)."""
    env = dict(os.environ, VIVA_DATA_DIR=str(data_dir), VIVA_EXIT_WHEN_READY="1")
    if not env.get("DISPLAY"):
        env["QT_QPA_PLATFORM"] = "offscreen"
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "desktop"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    total_ms = (time.perf_counter() - started) * 1000
    line = next(line for line in done.stdout.splitlines() if line.startswith("interactive_ms="))
    return float(line.split("=", 1)[1]), total_ms


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="viva-start-") as folder:
        data_dir = Path(folder)
        first, first_total = start_once(data_dir)
        print(
            f"first start (new database, built-in bank imported): interactive {first:.0f} ms "
            f"(process {first_total:.0f} ms)"
        )
        warm = [start_once(data_dir) for _ in range(args.runs)]
    interactive = [run[0] for run in warm]
    print(
        f"later starts ({args.runs} runs): interactive median {statistics.median(interactive):.0f}"
        f" ms, min {min(interactive):.0f} ms, max {max(interactive):.0f} ms"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
