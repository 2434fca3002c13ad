"""Remote SDK against a local `agentaudit serve` process (SQLite store, one worker).

Three figures (issue 4 targets in brackets):
  1. caller-side cost of `log(wait=False)`                    [p50 <= 20 µs]
  2. decision round trip, `log()` waiting for the server       [p50 <= 2 ms]   (sync and async)
  3. sustained background throughput, first log to the flush
     that saw every event acknowledged                         [>= 10,000 events/s]
Every run ends by checking that the server stored each event exactly once.

    .venv/bin/python benchmarks/client.py [--events 50000] [--decisions 2000] [--rounds 3]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(Path(__file__).parent), str(ROOT)]
from _machine import describe  # noqa: E402

from agentaudit import AgentAudit, AsyncAgentAudit  # noqa: E402
from tests.support.live_server import LiveServer, run_server  # noqa: E402

CALLS = [
    ("shop-agent", "web_search", {"query": "weather in Paris tomorrow"}, {"session_id": "s1"}),
    (
        "db-agent",
        "database_query",
        {"query": "SELECT * FROM customers WHERE email = 'jane@example.com'", "database": "prod"},
        {"environment": "production", "user_id": "u-1"},
    ),
    ("ops-agent", "shell", {"command": "ls -la /srv/app"}, {"environment": "dev"}),
]


def pct(values: list[float], q: float) -> float:
    return sorted(values)[min(len(values) - 1, int(len(values) * q))]


def client(srv: LiveServer, org: str, spool: Path, **options: object) -> AgentAudit:
    return AgentAudit(api_key=srv.new_key(org=org), base_url=srv.url, spool_dir=spool, **options)  # type: ignore[arg-type]


def background(srv: LiveServer, n: int, spool: Path, org: str) -> tuple[float, float, float]:
    """Returns caller p50 and p99 (µs) and end-to-end events/s."""
    audit = client(srv, org, spool)
    per_call: list[float] = []
    start = time.perf_counter()
    for i in range(n):
        agent, action, data, ctx = CALLS[i % len(CALLS)]
        t0 = time.perf_counter()
        audit.log(agent, action, data, ctx, wait=False)
        per_call.append(time.perf_counter() - t0)
    audit.flush()
    elapsed = time.perf_counter() - start
    stored = audit.get_stats().total_events
    assert stored == n, f"{stored} of {n} events stored"
    assert audit.verify().ok
    audit.close()
    return statistics.median(per_call) * 1e6, pct(per_call, 0.99) * 1e6, n / elapsed


def decisions(srv: LiveServer, n: int, spool: Path, org: str) -> tuple[float, float]:
    with client(srv, org, spool) as audit:
        times = []
        for i in range(n):
            agent, action, data, ctx = CALLS[i % len(CALLS)]
            t0 = time.perf_counter()
            event = audit.log(agent, action, data, ctx)
            times.append(time.perf_counter() - t0)
            assert event is not None and event.stored
        assert audit.get_stats().total_events == n
    return statistics.median(times) * 1e3, pct(times, 0.99) * 1e3


async def adecisions(srv: LiveServer, n: int, spool: Path, org: str) -> tuple[float, float]:
    async with AsyncAgentAudit(
        api_key=srv.new_key(org=org), base_url=srv.url, spool_dir=spool
    ) as audit:
        times = []
        for i in range(n):
            agent, action, data, ctx = CALLS[i % len(CALLS)]
            t0 = time.perf_counter()
            event = await audit.log(agent, action, data, ctx)
            times.append(time.perf_counter() - t0)
            assert event is not None and event.stored
        assert (await audit.get_stats()).total_events == n
    return statistics.median(times) * 1e3, pct(times, 0.99) * 1e3


def ceiling(srv: LiveServer, n: int, org: str) -> float:
    """The server's own rate for the same events: pre-built 1,000-event batches posted back to
    back with plain httpx (no SDK), so the SDK figure can be read against it."""
    key = srv.new_key(org=org)
    fields = ("agent_id", "action", "data", "context")
    events = [dict(zip(fields, CALLS[i % len(CALLS)], strict=True)) for i in range(n)]
    bodies = [
        json.dumps(
            {
                "events": events[s : s + 1000],
                "idempotency_keys": [f"{org}-{i}" for i in range(s, min(n, s + 1000))],
            }
        ).encode()
        for s in range(0, n, 1000)
    ]
    headers = {"Authorization": f"Bearer {key}", "Content-Type": "application/json"}
    with httpx.Client(base_url=srv.url, headers=headers, timeout=60) as http:
        start = time.perf_counter()
        for body in bodies:
            assert http.post("/v1/events/batch", content=body).status_code == 201
        return n / (time.perf_counter() - start)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--events", type=int, default=50_000)
    parser.add_argument("--decisions", type=int, default=2_000)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    print(describe())
    with tempfile.TemporaryDirectory() as tmp, run_server(db_path=Path(tmp) / "srv.db") as srv:
        spool = Path(tmp) / "spool"
        decisions(srv, 200, spool, "warm-up")
        for r in range(args.rounds):
            p50, p99 = decisions(srv, args.decisions, spool, f"dec-{r}")
            print(f"decision round trip (sync):  p50 {p50:.2f} ms  p99 {p99:.2f} ms")
            p50, p99 = asyncio.run(adecisions(srv, args.decisions, spool, f"adec-{r}"))
            print(f"decision round trip (async): p50 {p50:.2f} ms  p99 {p99:.2f} ms")
        for r in range(args.rounds):
            c50, c99, rate = background(srv, args.events, spool, f"bg-{r}")
            raw = ceiling(srv, args.events, f"raw-{r}")
            print(
                f"log(wait=False): caller p50 {c50:.1f} µs  p99 {c99:.1f} µs; "
                f"{args.events} events stored in the background at {rate:,.0f} events/s "
                f"(the server alone, pre-built batches: {raw:,.0f} events/s)"
            )


if __name__ == "__main__":
    main()
