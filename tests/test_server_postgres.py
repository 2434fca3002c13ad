"""The server on PostgreSQL with two worker processes: isolation and durability across SIGKILL."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest

from tests.support.live_server import run_server

pytestmark = pytest.mark.postgres

ADMIN_URL = (
    os.environ.get("AGENTAUDIT_TEST_DATABASE_URL")
    or "postgresql://postgres@127.0.0.1:5432/agentaudit_test"
)
SEARCH = {"agent_id": "researcher", "action": "web_search", "data": {"query": "weather"}}
DROP = {"agent_id": "ops", "action": "database_query", "data": {"query": "DROP TABLE customers"}}


@pytest.fixture
def pg_url() -> Iterator[str]:
    """A fresh, empty database of its own (dropped afterwards)."""
    import psycopg

    name = f"aa_server_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(ADMIN_URL, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    base, _, _ = ADMIN_URL.rpartition("/")
    try:
        yield f"{base}/{name}"
    finally:
        with psycopg.connect(ADMIN_URL, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def auth(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}


def test_two_workers_on_postgres_keep_orgs_apart_and_survive_sigkill(pg_url: str) -> None:
    with run_server(database_url=pg_url, workers=2) as srv:
        other = srv.new_key(org="other")

        def send(i: int) -> list[str]:
            key = srv.api_key if i % 2 == 0 else other
            with httpx.Client(base_url=srv.url, headers=auth(key)) as client:
                ids = [client.post("/v1/events", json=SEARCH).json()["id"] for _ in range(20)]
                batch = client.post("/v1/events/batch", json={"events": [DROP] * 10})
                return ids + [e["id"] for e in batch.json()["events"]]

        with ThreadPoolExecutor(6) as pool:
            acked = list(pool.map(send, range(6)))
        srv.kill()
        srv.start()
        for key, sent in ((srv.api_key, acked[0::2]), (other, acked[1::2])):
            ids = {i for chunk in sent for i in chunk}
            stats = httpx.get(f"{srv.url}/v1/events/stats", headers=auth(key)).json()
            assert stats["total_events"] == len(ids) == 90
            assert stats["by_decision"] == {"allow": 60, "block": 30}
            verify = httpx.get(f"{srv.url}/v1/verify", headers=auth(key)).json()
            assert verify["ok"] is True and verify["checked"] == 90
            some = next(iter(ids))
            assert httpx.get(f"{srv.url}/v1/events/{some}", headers=auth(key)).status_code == 200
        mine = next(iter(acked[0]))
        assert httpx.get(f"{srv.url}/v1/events/{mine}", headers=auth(other)).status_code == 404


def test_nul_characters_are_422_not_500(pg_url: str) -> None:
    """PostgreSQL text cannot hold NUL; the server refuses it up front, naming the field."""
    with run_server(database_url=pg_url) as srv:
        h = auth(srv.api_key)
        r = httpx.post(f"{srv.url}/v1/events", headers=h, json={**SEARCH, "agent_id": "a\x00"})
        assert r.status_code == 422 and r.json()["detail"][0]["loc"] == ["body", "agent_id"]
        batch = {"events": [SEARCH, {**SEARCH, "context": {"session_id": "s\x00"}}]}
        r = httpx.post(f"{srv.url}/v1/events/batch", headers=h, json=batch)
        assert r.json()["detail"][0]["loc"] == ["body", "events", 1, "context", "session_id"]
        keys = {"events": [SEARCH], "idempotency_keys": ["k\x00"]}
        r = httpx.post(f"{srv.url}/v1/events/batch", headers=h, json=keys)
        assert r.status_code == 422
        r = httpx.get(f"{srv.url}/v1/events", headers=h, params={"agent_id": "a\x00"})
        assert r.status_code == 422
        assert httpx.get(f"{srv.url}/v1/events/a%00b", headers=h).status_code == 404
        assert httpx.delete(f"{srv.url}/v1/events/a%00b/payload", headers=h).status_code == 404
        inside = httpx.post(
            f"{srv.url}/v1/events", headers=h, json={**SEARCH, "data": {"k": "\x00"}}
        )
        assert inside.status_code == 201 and inside.json()["data"] == {"k": "\x00"}
        stats = httpx.get(f"{srv.url}/v1/events/stats", headers=h).json()
        assert stats["total_events"] == 1
        assert "Traceback" not in srv.output()
