"""What every benchmark shares: the machine line (figures mean nothing without), percentiles, a
stub client."""

from __future__ import annotations

import os
import platform
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
    return f"{os.cpu_count()} cores, {cpu}, Python {platform.python_version()}, {platform.system()}"


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
