"""Embedded `AgentAudit().log` throughput, with every acknowledged event durable after close().

Two modes: `wait=True` (committed before log returns) and `wait=False` (decided at once, committed
by the background writer; durable after close()). Each run ends by reopening the file and counting.

    .venv/bin/python benchmarks/embedded_log.py [--events 20000] [--rounds 3]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from _machine import describe, load_calls  # noqa: E402

from agentaudit import AgentAudit  # noqa: E402


def run(calls: list[dict], n: int, wait: bool) -> tuple[float, float]:
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "bench.db"
        audit = AgentAudit(db_path=db)
        per_call = []
        start = time.perf_counter()
        for i in range(n):
            c = calls[i % len(calls)]
            t0 = time.perf_counter()
            audit.log(
                c["agent_id"], c["action"], c["data"], c["context"], c["reasoning"], wait=wait
            )
            per_call.append(time.perf_counter() - t0)
        audit.close()
        elapsed = time.perf_counter() - start
        with AgentAudit(db_path=db) as check:
            stored = check.get_stats().total_events
            assert stored == n, f"{stored} of {n} acknowledged events stored"
            assert check.verify().ok
        return n / elapsed, statistics.median(per_call) * 1e6


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--events", type=int, default=20_000)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    calls = load_calls()
    print(f"machine: {describe()}")
    for wait in (True, False):
        rates, medians = zip(
            *(run(calls, args.events, wait) for _ in range(args.rounds)), strict=True
        )
        print(
            f"log(wait={wait}): median {statistics.median(rates):,.0f} events/s over "
            f"{args.rounds} rounds of {args.events:,} (runs: {', '.join(f'{r:,.0f}' for r in rates)}); "
            f"caller-side p50 {statistics.median(medians):.1f} µs; all durable after close()"
        )


if __name__ == "__main__":
    main()
