"""Helpers every benchmark under bench/ shares (loaded by path, as the scripts load each other)."""
from __future__ import annotations

import argparse
import time
from pathlib import Path

# /proc/stat's first line, after "cpu": user nice system idle iowait irq softirq steal guest guest_nice
USER, NICE, SYSTEM, IDLE, IOWAIT, IRQ, SOFTIRQ, STEAL = range(8)


def cpu_times() -> list[int]:
    """The machine's CPU time so far, in clock ticks, by kind (the indices above): /proc/stat's first line."""
    return [int(v) for v in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]


def busy_ticks(times: list[int]) -> int:
    """Clock ticks the machine spent running something (user, nice, system, irq, softirq), of `cpu_times()`."""
    return times[USER] + times[NICE] + times[SYSTEM] + times[IRQ] + times[SOFTIRQ]


def settle(max_busy: float = 0.05, window: float = 1.0, timeout: float = 30.0) -> float:
    """Waits until the machine spent at most `max_busy` of its CPU time busy over the last `window` seconds, or
    `timeout` seconds have passed; returns the seconds waited. After a load, JVMs go on compiling what it made hot
    and the control plane takes in the last load reports for a few seconds: a latency measured at a low rate right
    then measures that, on every path alike."""
    began = time.monotonic()
    before = cpu_times()
    while True:
        time.sleep(window)
        now = cpu_times()
        total = sum(now[:8]) - sum(before[:8])
        busy = busy_ticks(now) - busy_ticks(before)
        if (total > 0 and busy / total <= max_busy) or time.monotonic() - began >= timeout:
            return time.monotonic() - began
        before = now


class Steal:
    """The share of the machine's CPU time the hypervisor gave to other guests between start and now (/proc/stat's
    `steal`). A virtual machine whose host is busy loses CPU that no load average shows: its processes wait without
    being counted as waiting. Above a few percent, ratios between two paths measured a minute apart say little."""

    def __init__(self):
        self.start = cpu_times()

    def share(self) -> float:
        now = cpu_times()
        total = sum(now[:8]) - sum(self.start[:8])
        return (now[STEAL] - self.start[STEAL]) / total if total > 0 else 0.0


class Quiet:
    """Whether a run's numbers may be judged against the goals: the 1-minute load average at its start and the share of
    CPU time stolen by the hypervisor during it (`Steal`) both under their limits (`--quiet-load`, `--quiet-steal`).
    Created when the run starts; `stop()` when the measuring is over."""

    FACT = "CPU time stolen by the hypervisor during the run (/proc/stat)"

    @staticmethod
    def add_arguments(parser: argparse.ArgumentParser):
        parser.add_argument("--quiet-load", type=float, default=0.5,
                            help="a 1-minute load average above this at the start marks the run busy: goals are not judged")
        parser.add_argument("--quiet-steal", type=float, default=0.02,
                            help="a share of the CPU time stolen by the hypervisor (/proc/stat) above this during the run "
                                 "marks it busy")

    def __init__(self, args: argparse.Namespace):
        self.load_limit = args.quiet_load
        self.steal_limit = args.quiet_steal
        self.steal = Steal()
        self.stolen: float | None = None

    def stop(self) -> tuple[str, str]:
        """Ends the run's steal count; the fact to add to the report's machine table."""
        self.stolen = self.steal.share()
        return self.FACT, f"{self.stolen * 100:.1f} %"

    def busy(self, start_load: float) -> bool:
        return start_load > self.load_limit or self.stolen > self.steal_limit

    def banner(self, start_load: float, what: str) -> str:
        """The report's warning that `what` (e.g. "the numbers below") are reported, not judged."""
        return (f"**The machine was busy** (1-minute load average {start_load:.2f} at the start, quiet under "
                f"{self.load_limit:g}; {self.stolen * 100:.1f} % of the CPU time stolen by the hypervisor during the run, "
                f"quiet under {self.steal_limit * 100:g} %): {what} are reported, not judged; rerun on a quiet machine.")
