"""Load N chained events (default 1,000,000) into PostgreSQL with COPY, for dashboard benchmarks.

The rows are exactly what the store writes (same chaining, same daily counts), so `agentaudit db
verify` passes on the result. Events are spread over `--days` days, across 20 agents, 40 actions,
a realistic risk mix (70% low … 2% critical, criticals blocked) and sessions of 25 events;
`--secret-share` of them (default 2%) carry secret types (drawn apart, so the rest of the load
is the same with any share).

    .venv/bin/python benchmarks/pg_load.py --database-url postgresql://postgres@127.0.0.1/aa_bench \
        [--events 1000000] [--days 90] [--org bench] [--create]
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg

sys.path.insert(0, str(Path(__file__).parent))
from _machine import describe  # noqa: E402

from agentaudit.models import Decision, Event, RiskLevel  # noqa: E402
from agentaudit.store import open_store  # noqa: E402
from agentaudit.store._sql import COUNT_COLUMNS, INSERT_COLUMNS, chain_batch  # noqa: E402
from agentaudit.store.chain import GENESIS  # noqa: E402

AGENTS = [f"agent-{i:02d}" for i in range(20)]
ACTIONS = [f"action_{i:02d}" for i in range(36)] + [
    "web_search",
    "database_query",
    "send_email",
    "run_sql",
]
RISKS = [("low", 70), ("medium", 18), ("high", 10), ("critical", 2)]
CHUNK = 20_000
SECRET_MIXES = [["api_key"], ["password"], ["access_token"], ["api_key", "password"]]


def ensure_database(url: str) -> None:
    """Create the database named in `url` when it does not exist (connecting to `postgres`)."""
    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{name}"')


def make_event(i: int, at: datetime, rng: random.Random, secrets: list[str] | None = None) -> Event:
    risk = rng.choices([r for r, _ in RISKS], weights=[w for _, w in RISKS])[0]
    pii = ["email"] if rng.random() < 0.2 else []
    blocked = risk == "critical"
    return Event.model_construct(
        id=f"01BENCH{i:019d}",
        agent_id=rng.choice(AGENTS),
        action=rng.choice(ACTIONS),
        data={"query": f"SELECT * FROM t{i % 97} WHERE id = {i}", "database": "analytics"},
        context={"session_id": f"s-{i // 25}", "environment": "production"},
        reasoning="benchmark load",
        risk_level=RiskLevel(risk),
        pii_detected=bool(pii),
        pii_fields=pii,
        secret_fields=secrets or [],
        frameworks={"gdpr": ["art_30"]} if pii else {},
        created_at=at,
        stored=True,
        decision=Decision.BLOCK if blocked else Decision.ALLOW,
        reason="risk critical >= block_on critical: benchmark" if blocked else None,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--days", type=int, default=90)
    parser.add_argument("--org", default="bench")
    parser.add_argument("--create", action="store_true", help="create the database if missing")
    parser.add_argument(
        "--secret-share", type=float, default=0.02, help="share of events with secret types"
    )
    args = parser.parse_args()
    print(describe())
    if args.create:
        ensure_database(args.database_url)
    store = open_store(args.database_url)
    org = store.create_org(args.org).id
    store.close()

    rng = random.Random(42)
    secret_rng = random.Random(43)

    def secrets() -> list[str] | None:
        if secret_rng.random() >= args.secret_share:
            return None
        return secret_rng.choice(SECRET_MIXES)

    start_at = datetime.now(UTC).replace(microsecond=0) - timedelta(days=args.days)
    step = timedelta(days=args.days) / args.events
    seq, prev = 0, GENESIS
    counts: dict[tuple, tuple[int, int, int]] = {}  # (org, dim, value, day) -> n, seq range
    t0 = time.perf_counter()
    with psycopg.connect(args.database_url) as conn:
        for first in range(0, args.events, CHUNK):
            n = min(CHUNK, args.events - first)
            items = [
                (make_event(i, start_at + i * step, rng, secrets()), None)
                for i in range(first, first + n)
            ]
            batch = chain_batch(org, items, seq, prev)
            seq, prev = batch.head_seq, batch.head_hash
            for org_id, dim, value, day, k, lo, hi in batch.counts:
                key = (org_id, dim, value, day)
                n, first, last = counts.get(key, (0, lo, hi))
                counts[key] = (n + k, min(first, lo), max(last, hi))
            with conn.cursor().copy(f"COPY events ({INSERT_COLUMNS}) FROM STDIN") as copy:
                for row in batch.rows:
                    copy.write_row(row)
            conn.commit()
            done = first + n
            rate = done / (time.perf_counter() - t0)
            print(f"\r{done:>9} events loaded ({rate:,.0f}/s)", end="", flush=True)
        with conn.cursor().copy(f"COPY event_counts ({COUNT_COLUMNS}) FROM STDIN") as copy:
            for key, tally in counts.items():
                copy.write_row((*key, *tally))
        conn.execute(
            "INSERT INTO chain_heads (org_id, seq, hash) VALUES (%s, %s, %s)", (org, seq, prev)
        )
        conn.commit()
        conn.autocommit = True
        conn.execute("VACUUM ANALYZE events")
        conn.execute("VACUUM ANALYZE event_counts")
    elapsed = time.perf_counter() - t0
    print(f"\nloaded {args.events:,} events for org {args.org} ({org}) in {elapsed:.1f} s")


if __name__ == "__main__":
    main()
