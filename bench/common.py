"""Helpers every benchmark under bench/ shares (loaded by path, as the scripts load each other)."""
from __future__ import annotations

from pathlib import Path


def _cpu_times() -> list[int]:
    """The machine's CPU time so far, in clock ticks, by kind: /proc/stat's first line."""
    return [int(v) for v in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]


class Steal:
    """The share of the machine's CPU time the hypervisor gave to other guests between start and now (/proc/stat's
    `steal`). A virtual machine whose host is busy loses CPU that no load average shows: its processes wait without
    being counted as waiting. Above a few percent, ratios between two paths measured a minute apart say little."""

    STEAL = 7  # /proc/stat: user nice system idle iowait irq softirq steal guest guest_nice

    def __init__(self):
        self.start = _cpu_times()

    def share(self) -> float:
        now = _cpu_times()
        total = sum(now[:8]) - sum(self.start[:8])
        return (now[self.STEAL] - self.start[self.STEAL]) / total if total > 0 else 0.0
