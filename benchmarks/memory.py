"""Resident memory of this process, from /proc (Linux): peaks, private and mapped pages."""

from __future__ import annotations

import re
from pathlib import Path


def status_mb(field: str = "VmRSS") -> float:
    """A field of /proc/self/status: VmRSS, VmHWM (peak), RssAnon (private), RssFile."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return round(int(line.split()[1]) / 1024, 1)
    return float("nan")


def reset_peak() -> None:
    """Start VmHWM again from the current RSS (Linux: clear_refs 5), to time one step's peak."""
    Path("/proc/self/clear_refs").write_text("5")


_MAPPING = re.compile(r"^[0-9a-f]+-[0-9a-f]+ ")


def mapped_mb(folder: Path) -> float:
    """Resident pages of the files under `folder` that this process maps."""
    total, inside = 0, False
    for line in Path("/proc/self/smaps").read_text().splitlines():
        if _MAPPING.match(line):
            parts = line.split(maxsplit=5)
            inside = len(parts) == 6 and parts[5].startswith(str(folder))
        elif inside and line.startswith("Rss:"):
            total += int(line.split()[1])
    return round(total / 1024, 1)


def folder_mb(folder: Path) -> float:
    return round(sum(p.stat().st_size for p in folder.rglob("*") if p.is_file()) / 2**20, 1)
