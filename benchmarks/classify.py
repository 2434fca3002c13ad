"""Per-call latency of `classify` over the labelled dev set (the events real agents send).

    python benchmarks/classify.py [--rounds 20] [--dev PATH]

Prints the machine, then per round the median and p99 in µs per call, then the overall figures.
The first pass (rule loading, per-key and per-action caches, phonenumbers metadata) is reported
separately as warm-up: it is paid once per process, not per call.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _machine import describe  # noqa: E402

from agentaudit.classifier import classify, default_rules  # noqa: E402


def _dev_path() -> Path:
    return Path(__file__).resolve().parents[1] / "tests" / "data" / "classifier_dev.jsonl"


def _pct(sorted_ns: list[int], q: float) -> float:
    return sorted_ns[min(len(sorted_ns) - 1, int(len(sorted_ns) * q))] / 1000.0


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--rounds", type=int, default=20)
    ap.add_argument("--dev", type=Path, default=_dev_path())
    args = ap.parse_args()
    rows: list[dict[str, Any]] = [
        json.loads(line) for line in args.dev.read_text("utf-8").splitlines() if line.strip()
    ]
    calls = [
        (r["agent_id"], r["action"], r.get("data"), r.get("context"), r.get("reasoning"))
        for r in rows
    ]
    sizes = sorted(len(json.dumps(r.get("data") or {})) for r in rows)
    try:
        nproc = subprocess.run(["nproc"], capture_output=True, text=True).stdout.strip()
    except OSError:
        nproc = str(os.cpu_count())
    print(f"machine: {describe()}; nproc={nproc}; load average {os.getloadavg()}")
    print(f"dev set: {len(calls)} events, payload median {sizes[len(sizes) // 2]} B, "
          f"max {sizes[-1]} B")  # fmt: skip

    t0 = time.perf_counter_ns()
    default_rules()
    t1 = time.perf_counter_ns()
    for call in calls:
        classify(*call)
    t2 = time.perf_counter_ns()
    print(f"warm-up: load rules {(t1 - t0) / 1e6:.1f} ms, first pass {(t2 - t1) / 1e6:.1f} ms")

    all_ns: list[int] = []
    medians: list[float] = []
    gc.disable()  # collections are a process-wide cost, not the classifier's
    try:
        for rnd in range(args.rounds):
            ns: list[int] = []
            for call in calls:
                s = time.perf_counter_ns()
                classify(*call)
                ns.append(time.perf_counter_ns() - s)
            ns.sort()
            all_ns.extend(ns)
            medians.append(_pct(ns, 0.5))
            print(
                f"round {rnd + 1:>2}: median {_pct(ns, 0.5):7.1f} µs  p99 {_pct(ns, 0.99):7.1f} µs"
            )
    finally:
        gc.enable()
    all_ns.sort()
    print(
        f"overall ({len(all_ns)} calls): median {_pct(all_ns, 0.5):.1f} µs, "
        f"p99 {_pct(all_ns, 0.99):.1f} µs, best-round median {min(medians):.1f} µs, "
        f"mean {statistics.fmean(all_ns) / 1000:.1f} µs"
    )


if __name__ == "__main__":
    main()
