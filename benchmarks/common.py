"""Timing helpers shared by the benchmarks: interleaved repeats, medians, ratios."""

from __future__ import annotations

import os
import statistics
import time
from collections.abc import Callable

Contender = Callable[[], object]


def cores() -> int:
    """The cores this process may run on (what every peer is allowed to use)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        return os.cpu_count() or 1


SETTLE_S = 0.3  # OpenMP / BLAS worker threads spin ~0.2 s after a parallel region


def interleaved(contenders: dict[str, Contender], repeats: int) -> dict[str, list[float]]:
    """Wall seconds of each contender, run in turn ``repeats`` times (after one warm-up each).

    Each timed run starts ``SETTLE_S`` after the previous one ended, so that the worker
    threads one library leaves spinning do not steal the next contender's cores.
    """
    for run in contenders.values():
        run()
    times: dict[str, list[float]] = {name: [] for name in contenders}
    for _ in range(repeats):
        for name, run in contenders.items():
            time.sleep(SETTLE_S)
            t0 = time.perf_counter()
            run()
            times[name].append(time.perf_counter() - t0)
    return times


def median(values: list[float]) -> float:
    return statistics.median(values)


def verdict(value: float, target: float, higher_is_better: bool = True) -> str:
    met = value >= target if higher_is_better else value <= target
    return "met" if met else "MISSED"


def torch_or_none() -> object | None:
    try:
        import torch
    except ImportError:
        return None
    torch.set_num_threads(cores())
    return torch
