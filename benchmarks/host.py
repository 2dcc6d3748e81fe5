"""How busy the machine was during a measurement, and re-measuring when others interfered.

The embedder runs OpenMP threads on every core; when anything else wants a core, a single
query embedding can stall at its thread barriers (seen here on 2 cores: ~15 ms for a query on
a quiet machine, ~1.2 s with one other busy process). On a machine shared with other work,
latency figures are only worth reading next to how much CPU the rest of the machine used
while they were taken, so the scripts record it (`others_cpu_share`: 0 = only the measured
processes ran, 1 = every core was busy with something else) and repeat a measurement that
was disturbed, keeping the least disturbed attempt.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

T = TypeVar("T")

BUSY = 0.2  # others' share of all cores above which a measurement counts as disturbed


def _machine_ticks() -> tuple[int, int]:
    """(busy, total) clock ticks summed over all CPUs since boot."""
    fields = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = fields[3] + fields[4]  # idle + iowait
    return sum(fields) - idle, sum(fields)


def _process_ticks(pid: int | str) -> int:
    """User + system ticks of a process (all its threads); 0 when it is gone."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return 0
    fields = stat.rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])


class CpuWatch:
    """Others' share of the machine's CPU over a `with` block, this process and `pids` aside."""

    def __init__(self, pids: list[int] | None = None) -> None:
        self.pids: list[int | str] = ["self", *(pids or [])]
        self.others_share = 0.0

    def _own(self) -> int:
        return sum(_process_ticks(pid) for pid in self.pids)

    def __enter__(self) -> CpuWatch:
        self._busy, self._total = _machine_ticks()
        self._mine = self._own()
        return self

    def __exit__(self, *exc: object) -> None:
        busy, total = _machine_ticks()
        others = (busy - self._busy) - (self._own() - self._mine)
        self.others_share = round(max(0.0, others / max(total - self._total, 1)), 2)


def others_busy(seconds: float = 1.0) -> float:
    """Others' share of all cores over `seconds` while this process sleeps."""
    with CpuWatch() as watch:
        time.sleep(seconds)
    return watch.others_share


def wait_quiet(limit: float = 60.0) -> float:
    """Wait (at most `limit` seconds) for a quiet second; return the last share seen."""
    deadline = time.monotonic() + limit
    share = others_busy()
    while share > BUSY and time.monotonic() < deadline:
        share = others_busy()
    return share


def check_quiet(when: str) -> float:
    """Sample for a second, warn when other work is running, return the busy share."""
    share = others_busy()
    if share > BUSY:
        print(
            f"WARNING ({when}): other processes use {share:.0%} of the cores; latency figures "
            "measured now are inflated",
            flush=True,
        )
    return share


def least_disturbed(
    measure: Callable[[], T], attempts: int = 2, pids: list[int] | None = None
) -> tuple[T, float, int]:
    """Run `measure`; while others used more than BUSY of the CPU, wait for a quiet moment
    and run it again (at most `attempts` runs). Returns (result, others' share, runs) of the
    least disturbed run."""
    best: tuple[T, float] | None = None
    runs = 0
    for runs in range(1, attempts + 1):
        with CpuWatch(pids) as watch:
            result = measure()
        if best is None or watch.others_share < best[1]:
            best = (result, watch.others_share)
        if watch.others_share <= BUSY:
            break
        if runs < attempts:
            wait_quiet()
    assert best is not None
    return best[0], best[1], runs
