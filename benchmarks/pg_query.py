"""Dashboard query latency on a large PostgreSQL store (load it first with pg_load.py).

Measures the store calls behind GET /v1/events (filtered lists with their exact `total`) and
GET /v1/events/stats, the dashboard's secret-type filter and counts (through migration 0024's
partial index), and — with --url/--api-key — the same requests over HTTP against a running
`agentaudit serve --database-url …`. Targets at 1,000,000 events: list p50 <= 20 ms, stats <=
200 ms.

    .venv/bin/python benchmarks/pg_query.py --database-url postgresql://postgres@127.0.0.1/aa_bench \
        [--org bench] [--repeat 30] [--url http://127.0.0.1:8000 --api-key aa_live_…]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).parent))
from _machine import describe  # noqa: E402

from agentaudit.models import EventFilter  # noqa: E402
from agentaudit.store import open_store  # noqa: E402


def list_queries(now: datetime) -> dict[str, dict[str, Any]]:
    return {
        "newest 50": {},
        "agent_id": {"agent_id": "agent-07"},
        "action": {"action": "send_email"},
        "risk_level=high": {"risk_level": "high"},
        "decision=block": {"decision": "block"},
        "pii_detected": {"pii_detected": True},
        "session_id": {"session_id": "s-12345"},
        "after 24h": {"after": now - timedelta(days=1)},
        "agent+risk": {"agent_id": "agent-03", "risk_level": "critical"},
        "no pii+low (broad)": {"pii_detected": False, "risk_level": "low"},
        "window 7d, agent": {
            "agent_id": "agent-11",
            "after": now - timedelta(days=30, hours=5),
            "before": now - timedelta(days=23, hours=2),
        },
        "page 20 (offset 1000)": {"offset": 1000},
    }


def stats_ranges(now: datetime) -> dict[str, tuple[datetime | None, datetime | None]]:
    return {
        "all time": (None, None),
        "last 24h": (now - timedelta(days=1), None),
        "last 7d": (now - timedelta(days=7), None),
        "30d window": (now - timedelta(days=40, hours=3), now - timedelta(days=10, hours=7)),
    }


def timed(fn: Callable[[], Any], repeat: int) -> list[float]:
    fn()  # warm: plans cached, pages in memory
    out = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        out.append((time.perf_counter() - t0) * 1000)
    return out


def report(name: str, samples: list[float]) -> None:
    p99 = statistics.quantiles(samples, n=100)[98] if len(samples) >= 2 else samples[0]
    print(f"  {name:<24} p50 {statistics.median(samples):7.2f} ms   p99 {p99:7.2f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--org", default="bench")
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--url", help="also measure over HTTP against this server")
    parser.add_argument("--api-key")
    args = parser.parse_args()
    print(describe())
    store = open_store(args.database_url, auto_upgrade=False)
    org = store.find_org(args.org)
    if org is None:
        sys.exit(f"no organisation {args.org!r}: run benchmarks/pg_load.py first")
    total = store.stats(org.id).total_events
    print(f"store: {store.path}, org {args.org}: {total:,} events")
    now = datetime.now(UTC)

    print("GET /v1/events (store.list_events, limit 50, with exact total):")
    all_lists: list[float] = []
    for name, spec in list_queries(now).items():
        flt = EventFilter(**spec)
        samples = timed(lambda flt=flt: store.list_events(org.id, flt), args.repeat)
        all_lists += samples
        report(name, samples)
    report("ALL list queries", all_lists)

    print("GET /v1/events/stats (store.stats):")
    for name, (after, before) in stats_ranges(now).items():
        report(name, timed(lambda a=after, b=before: store.stats(org.id, a, b), args.repeat))

    from agentaudit.server.dashboard import queries

    print("dashboard: secret types (timeline filter, limit 50 with total; statistics panel):")
    for name, spec, secret in (
        ("secret api_key", {}, "api_key"),
        ("secret password, page 10", {"offset": 450}, "password"),
        ("secret api_key + agent", {"agent_id": "agent-07"}, "api_key"),
        ("secret private_key (none)", {}, "private_key"),
    ):
        flt = EventFilter(limit=50, **spec)
        report(
            name,
            timed(
                lambda f=flt, s=secret: queries.list_events_with_types(
                    store, org.id, f, secret_type=s
                ),
                args.repeat,
            ),
        )
    for days in (30, 90):
        after = now - timedelta(days=days)
        report(
            f"secret counts {days}d",
            timed(lambda a=after: queries.secret_type_counts(store, org.id, a, now), args.repeat),
        )
    store.close()

    if args.url:
        import httpx

        headers = {"Authorization": f"Bearer {args.api_key}"}
        with httpx.Client(base_url=args.url, headers=headers, timeout=30) as http:
            print(f"over HTTP ({args.url}):")
            all_http: list[float] = []
            for name, spec in list_queries(now).items():
                params = {
                    k: (v.isoformat() if isinstance(v, datetime) else v) for k, v in spec.items()
                }
                params = {
                    k: (str(v).lower() if isinstance(v, bool) else v) for k, v in params.items()
                }

                def get(params: dict = params) -> None:
                    http.get("/v1/events", params=params).raise_for_status()

                samples = timed(get, args.repeat)
                all_http += samples
                report(f"GET {name}", samples)
            report("ALL GET /v1/events", all_http)
            for name, (after, before) in stats_ranges(now).items():
                params = {k: v.isoformat() for k, v in (("after", after), ("before", before)) if v}

                def stats(params: dict = params) -> None:
                    http.get("/v1/events/stats", params=params).raise_for_status()

                report(f"stats {name}", timed(stats, args.repeat))


if __name__ == "__main__":
    main()
