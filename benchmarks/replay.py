"""Policy replay speed: N stored calls (default 1,000,000) decided again by a candidate policy.

Fills a fresh SQLite store (or, with --database-url, a fresh PostgreSQL database) with N events
chained exactly as the store chains them (store/_sql.chain_batch; the daily counts are not
written, so `stats` is not meaningful on the result, but `verify` passes), written in bulk
(executemany / COPY) in chunks of 20,000. Events are spread across 20 agents (half of them
`*-prod`), 40 actions and a realistic risk mix with rule matches, 20% with PII. Then it times
`replay` (replay.py) with a stricter candidate that has two overrides, the way
`POST /v1/policy/replay` runs it, and prints wall time and events/s.

It also times `decide` with a policy without overrides against a verbatim copy of `decide` as
it was before overrides existed (`decide_before` below): the difference is what a policy
without overrides pays for them.

    .venv/bin/python benchmarks/replay.py [--events 1000000] [--db /tmp/replay.db]
    .venv/bin/python benchmarks/replay.py --database-url postgresql://postgres@127.0.0.1/aa_replay
"""

from __future__ import annotations

import argparse
import random
import sqlite3
import sys
import tempfile
import time
import timeit
from datetime import UTC, datetime, timedelta
from functools import partial
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).parent))
from _machine import describe  # noqa: E402

from agentaudit.models import (  # noqa: E402
    Classification,
    Decision,
    DecisionResult,  # noqa: E402
    Event,
    Policy,
    RiskLevel,
    RuleMatch,
)
from agentaudit.policy import _ALLOW, _first_match, decide, merge_policy  # noqa: E402
from agentaudit.replay import replay  # noqa: E402
from agentaudit.store import open_store  # noqa: E402
from agentaudit.store._sql import INSERT_COLUMNS, INSERT_COUNT, chain_batch  # noqa: E402
from agentaudit.store.chain import GENESIS  # noqa: E402

AGENTS = [f"agent-{i:02d}-prod" if i % 2 else f"ci-{i:02d}" for i in range(20)]
ACTIONS = [f"action_{i:02d}" for i in range(36)] + [
    "web_search",
    "database_query",
    "send_email",
    "shell.exec",
]
RISKS = [("low", 70), ("medium", 18), ("high", 10), ("critical", 2)]
RULES = {
    "low": [],
    "medium": [("change.write", "medium")],
    "high": [("pii.outbound_message", "high"), ("change.write", "medium")],
    "critical": [("effect.destroy", "critical"), ("change.write", "medium")],
}
CHUNK = 20_000
CANDIDATE = {
    "block_on": "high",
    "overrides": [
        {"name": "prod", "agents": ["*-prod"], "block_on": "medium"},
        {"name": "ci-shell", "agents": ["ci-*"], "actions": ["shell.*"], "block_on": None},
    ],
}


def make_event(i: int, at: datetime, rng: random.Random) -> Event:
    risk = rng.choices([r for r, _ in RISKS], weights=[w for _, w in RISKS])[0]
    pii = ["email"] if rng.random() < 0.2 else []
    blocked = risk == "critical"
    return Event.model_construct(
        id=f"01REPLAY{i:018d}",
        agent_id=rng.choice(AGENTS),
        action=rng.choice(ACTIONS),
        data={"query": f"SELECT * FROM t{i % 97} WHERE id = {i}"},
        context={"session_id": f"s-{i // 25}"},
        reasoning=None,
        risk_level=RiskLevel(risk),
        pii_detected=bool(pii),
        pii_fields=pii,
        secret_fields=[],
        frameworks={},
        created_at=at,
        stored=True,
        decision=Decision.BLOCK if blocked else Decision.ALLOW,
        reason="risk critical >= block_on critical: benchmark" if blocked else None,
        matches=[
            RuleMatch.model_construct(rule=r, level=RiskLevel(lv), evidence="e")
            for r, lv in RULES[risk]
        ],
        partial_scan=False,
    )


def chunks(org: str, n_events: int) -> Any:
    """Chained rows in chunks, then the head (seq, hash)."""
    rng = random.Random(42)
    start = datetime.now(UTC).replace(microsecond=0) - timedelta(days=30)
    step = timedelta(days=30) / n_events
    seq, prev = 0, GENESIS
    for first in range(0, n_events, CHUNK):
        n = min(CHUNK, n_events - first)
        items = [(make_event(i, start + i * step, rng), None) for i in range(first, first + n)]
        batch = chain_batch(org, items, seq, prev)
        seq, prev = batch.head_seq, batch.head_hash
        yield batch.rows, seq, prev


def fill_sqlite(path: Path, n_events: int) -> tuple[Any, str]:
    store = open_store(str(path))
    org = store.create_org("bench").id
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=OFF")
    marks = ", ".join("?" * INSERT_COUNT)
    seq, prev = 0, GENESIS
    for rows, seq, prev in chunks(org, n_events):  # noqa: B007 (the last is the head)
        conn.execute("BEGIN")
        conn.executemany(f"INSERT INTO events ({INSERT_COLUMNS}) VALUES ({marks})", rows)
        conn.execute("COMMIT")
        print(f"\r{seq:>9} events written", end="", flush=True)
    conn.execute("INSERT INTO chain_heads (org_id, seq, hash) VALUES (?, ?, ?)", (org, seq, prev))
    conn.execute("ANALYZE")
    conn.close()
    print()
    return store, org


def fill_postgres(url: str, n_events: int) -> tuple[Any, str]:
    import psycopg

    store = open_store(url)
    org = store.create_org(f"bench-{time.time_ns()}").id
    seq, prev = 0, GENESIS
    with psycopg.connect(url) as conn:
        for rows, seq, prev in chunks(org, n_events):  # noqa: B007 (the last is the head)
            with conn.cursor().copy(f"COPY events ({INSERT_COLUMNS}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            conn.commit()
            print(f"\r{seq:>9} events written", end="", flush=True)
        conn.execute(
            "INSERT INTO chain_heads (org_id, seq, hash) VALUES (%s, %s, %s)", (org, seq, prev)
        )
        conn.commit()
        conn.autocommit = True
        conn.execute("VACUUM ANALYZE events")
    print()
    return store, org


def decide_before(classification: Any, event: Any, policy: Policy | None = None) -> Any:
    """policy.decide before overrides (commit a949f45), copied verbatim for the comparison."""
    policy = policy or Policy()
    action: str = event.action

    pattern = _first_match(action, policy.blocked_actions)
    if pattern is not None:
        return DecisionResult(
            decision=Decision.BLOCK,
            reason=f"action {action!r} matches blocked_actions pattern {pattern!r}",
            rule="policy.blocked_actions",
        )

    if policy.block_pii_types:
        carried = set(classification.pii_fields) | set(classification.secret_fields)
        forbidden = sorted(carried.intersection(policy.block_pii_types))
        if forbidden:
            return DecisionResult(
                decision=Decision.BLOCK,
                reason=f"carries {', '.join(forbidden)} (block_pii_types)",
                rule="policy.block_pii_types",
            )

    if _first_match(action, policy.allowed_actions) is not None:
        return _ALLOW

    if policy.block_on is not None and classification.risk_level >= policy.block_on:
        top = classification.matches[0] if classification.matches else None
        why = f"{top.rule}: {top.evidence}" if top and top.evidence else (top.rule if top else "")
        why = why.replace("\x00", "\ufffd")
        reason = f"risk {classification.risk_level.value} >= block_on {policy.block_on.value}"
        return DecisionResult(
            decision=Decision.BLOCK,
            reason=f"{reason}: {why}" if why else reason,
            rule=top.rule if top else "policy.block_on",
        )
    return _ALLOW


def time_decide() -> None:
    """decide with no overrides against decide before overrides (ns per call, the best of
    interleaved rounds: the machine is shared), and with two overrides."""

    class Call:
        agent_id, action = "agent-01-prod", "database_query"

    policy, call, n = Policy(), Call(), 100_000
    with_overrides = merge_policy(policy, CANDIDATE)
    for risk in (RiskLevel.HIGH, RiskLevel.CRITICAL):  # allowed, blocked
        c = Classification.model_construct(
            risk_level=risk,
            matches=[RuleMatch.model_construct(rule="x", level=risk, evidence="")],
            pii_fields=[],
            secret_fields=[],
        )
        fns = {
            "decide, no overrides": partial(decide, c, call, policy),
            "decide before overrides": partial(decide_before, c, call, policy),
            "decide, 2 overrides": partial(decide, c, call, with_overrides),
        }
        best = dict.fromkeys(fns, float("inf"))
        for _ in range(9):
            for label, fn in fns.items():
                best[label] = min(best[label], timeit.timeit(fn, number=n) / n * 1e9)
        for label, ns in best.items():
            print(f"{label:>24} ({risk:>8}): {ns:6.0f} ns/call")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--db", type=Path, default=None, help="SQLite file (default: a temp file)")
    parser.add_argument("--database-url", default=None, help="PostgreSQL instead of SQLite")
    args = parser.parse_args()
    print(describe())
    time_decide()
    t0 = time.perf_counter()
    if args.database_url:
        store, org = fill_postgres(args.database_url, args.events)
        where = "PostgreSQL"
    else:
        path = args.db or Path(tempfile.mkdtemp(prefix="aa-replay-")) / "replay.db"
        path.unlink(missing_ok=True)
        store, org = fill_sqlite(path, args.events)
        where = f"SQLite {path}"
    print(f"filled {args.events:,} events in {time.perf_counter() - t0:.1f} s ({where})")
    try:
        current = store.get_policy(org)
        candidate = merge_policy(current, CANDIDATE)
        t0 = time.perf_counter()
        report = replay(store, org, current, candidate, examples=5)
        wall = time.perf_counter() - t0
        changed = {k: g.count for k, g in report.changes.items()}
        print(
            f"replayed {report.replayed:,} events in {wall:.2f} s: {report.replayed / wall:,.0f}/s"
        )
        print(f"changes: {changed}, unchanged {report.unchanged:,}")
    finally:
        store.close()


if __name__ == "__main__":
    main()
