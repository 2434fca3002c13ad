"""Scale-out: several server processes on one PostgreSQL database keep one gap-free chain.

4 separate `agentaudit serve` processes × 16 concurrent clients each × 300 events (single POSTs,
some clients batching), with retries of the same Idempotency-Key sent to a *different* process,
as a load balancer would. Afterwards: the count is exact, every seq 1..N is there once, each key
stored once, and `agentaudit db verify` and GET /v1/verify pass. (benchmarks/scaleout.py runs the
full 4 × 16 × 5,000 and measures.)
"""

from __future__ import annotations

import asyncio
import subprocess
import sys
from pathlib import Path

import httpx
import psycopg
import pytest

from tests.support.live_server import LiveServer
from tests.test_store import create_pg_database

pytestmark = [pytest.mark.postgres, pytest.mark.slow, pytest.mark.timeout(600)]

PROCESSES, CLIENTS_PER_PROCESS, EVENTS_PER_CLIENT, BATCH = 4, 16, 300, 25
RETRY_EVERY = 10  # every 10th single event is sent again, same key, to another process


def _call(client: int, i: int) -> dict:
    kinds = [
        {"action": "web_search", "data": {"query": f"weather {client}-{i}"}},
        {
            "action": "database_query",
            "data": {"query": "SELECT * FROM customers WHERE email = 'jane@example.com'"},
            "context": {"environment": "production", "session_id": f"s-{client}"},
        },
        {"action": "run_sql", "data": {"sql": "DROP TABLE customers"}},
    ]
    return {"agent_id": f"agent-{client % 7}", **kinds[i % 3]}


async def _client(n: int, servers: list[LiveServer], ids: dict[str, str]) -> None:
    """One client, pinned to one process; its retries go to the next process."""
    home, other = servers[n % len(servers)], servers[(n + 1) % len(servers)]
    async with (
        httpx.AsyncClient(base_url=home.url, timeout=60) as http,
        httpx.AsyncClient(base_url=other.url, timeout=60) as retry,
    ):
        headers = {"Authorization": f"Bearer {home.api_key}"}
        if n % 4 == 3:  # a batching client
            for first in range(0, EVENTS_PER_CLIENT, BATCH):
                body = {"events": [_call(n, i) for i in range(first, first + BATCH)]}
                key = f"c{n}-b{first}"
                r = await http.post(
                    "/v1/events/batch", json=body, headers={**headers, "Idempotency-Key": key}
                )
                assert r.status_code == 201, r.text
                for i, event in enumerate(r.json()["events"]):
                    ids[f"{key}:{i}"] = event["id"]
            return
        for i in range(EVENTS_PER_CLIENT):
            key = f"c{n}-{i}"
            r = await http.post(
                "/v1/events", json=_call(n, i), headers={**headers, "Idempotency-Key": key}
            )
            assert r.status_code == 201, r.text
            ids[key] = r.json()["id"]
            if i % RETRY_EVERY == 0:
                again = await retry.post(
                    "/v1/events",
                    json=_call(n, i),
                    headers={"Authorization": f"Bearer {other.api_key}", "Idempotency-Key": key},
                )
                assert again.status_code == 201, again.text
                assert again.json()["id"] == ids[key], "a retried key was stored twice"


async def _load(servers: list[LiveServer]) -> dict[str, str]:
    ids: dict[str, str] = {}
    clients = PROCESSES * CLIENTS_PER_PROCESS
    await asyncio.gather(*(_client(n, servers, ids) for n in range(clients)))
    return ids


def test_four_processes_one_gap_free_chain() -> None:
    url = create_pg_database("aa_scale")
    servers = [LiveServer(database_url=url) for _ in range(PROCESSES)]  # one key each, org "test"
    try:
        for server in servers:
            server.start(timeout=60)
        ids = asyncio.run(_load(servers))
        expected = PROCESSES * CLIENTS_PER_PROCESS * EVENTS_PER_CLIENT
        assert len(ids) == expected and len(set(ids.values())) == expected

        headers = {"Authorization": f"Bearer {servers[2].api_key}"}
        stats = httpx.get(f"{servers[2].url}/v1/events/stats", headers=headers, timeout=60).json()
        assert stats["total_events"] == expected
        assert stats["by_decision"]["block"] == sum(1 for k in ids if _is_drop(k))
        verified = httpx.get(f"{servers[1].url}/v1/verify", headers=headers, timeout=120).json()
        assert verified["ok"] and verified["checked"] == expected
    finally:
        for server in servers:
            server.stop()

    with psycopg.connect(url) as conn:
        row = conn.execute(
            "SELECT count(*), count(DISTINCT seq), min(seq), max(seq),"
            " count(DISTINCT idempotency_key), count(DISTINCT org_id) FROM events"
        ).fetchone()
    assert row == (expected, expected, 1, expected, expected, 1)
    cli = subprocess.run(
        [str(Path(sys.executable).with_name("agentaudit")), "db", "verify", "--database-url", url],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert cli.returncode == 0, cli.stderr
    assert f"test: chain OK: {expected} events verified" in cli.stdout


def _is_drop(key: str) -> bool:
    """Whether the event stored under `key` was the DROP TABLE call (i % 3 == 2)."""
    client, _, rest = key.partition("-")
    if rest.startswith("b"):  # batch key c{n}-b{first}:{i}
        first, _, i = rest[1:].partition(":")
        return (int(first) + int(i)) % 3 == 2
    return int(rest) % 3 == 2
