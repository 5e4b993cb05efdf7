"""Timing shared by the benchmark scripts: medians of wall-clock and CPU time."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable


def median_seconds(action: Callable[[], object], runs: int) -> tuple[float, float]:
    """Median wall-clock and CPU seconds; on a busy machine the CPU time is the steadier one."""
    wall, cpu = [], []
    for _ in range(runs):
        started, started_cpu = time.perf_counter(), time.process_time()
        action()
        wall.append(time.perf_counter() - started)
        cpu.append(time.process_time() - started_cpu)
    return statistics.median(wall), statistics.median(cpu)
