"""What every benchmark shares: the machine line (figures mean nothing without), the dev-set
calls, percentiles, a stub client."""

from __future__ import annotations

import os
import platform
from pathlib import Path
from typing import Any


def describe() -> str:
    cpu = "unknown CPU"
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    from agentaudit.classifier import COMPILED

    engine = "compiled (mypyc)" if COMPILED else "Python"
    return (
        f"{os.cpu_count()} cores, {cpu}, Python {platform.python_version()}, {platform.system()},"
        f" classifier engine {engine}; calibration {calibration_us():.1f} µs"
    )


def calibration_us() -> float:
    """How fast this machine runs plain Python right now: `sum(range(1000))`, best of 5 rounds.

    Machines of one kind have differed 2-2.5x here (15.2 µs on a slow one), more than most
    changes: a figure is only comparable with another taken at a similar calibration."""
    import timeit

    return min(timeit.repeat("sum(range(1000))", number=2000, repeat=5)) / 2000 * 1e6


def percentile(values: list[float], q: float) -> float:
    """The q-quantile (0..1) of the samples, nearest rank."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


class StubClient:
    """Answers every log with one ready-made event: times an adapter's own code alone."""

    mode = "embedded"
    fail_mode = "closed"

    def __init__(self, event: Any) -> None:
        self.event = event

    def log(self, *args: Any, **kwargs: Any) -> Any:
        return self.event


def load_calls() -> list[dict[str, Any]]:
    """The dev set's tool calls (tests/data/classifier_dev.jsonl) as `log` keyword arguments."""
    import json
    from pathlib import Path

    dev = Path(__file__).resolve().parents[1] / "tests" / "data" / "classifier_dev.jsonl"
    calls = [json.loads(line) for line in dev.read_text().splitlines() if line.strip()]
    return [
        {k: c[k] for k in ("agent_id", "action", "data", "context", "reasoning")} for c in calls
    ]


def cpu_seconds(pid: int) -> float:
    """User + system CPU of one process so far (0 if it is gone; Linux /proc)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def processes() -> dict[int, tuple[int, str]]:
    """pid -> (parent pid, command line) of every process."""
    found = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                parent = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
                cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()
            except (OSError, ValueError):
                continue
            found[int(entry.name)] = (parent, cmdline)
    return found


def postgres_cpu_seconds(procs: dict[int, tuple[int, str]] | None = None) -> float:
    """CPU seconds of every PostgreSQL process so far (of `procs`, or of all processes now)."""
    procs = processes() if procs is None else procs
    return sum(cpu_seconds(p) for p, (_, cmd) in procs.items() if cmd.startswith("postgres"))
