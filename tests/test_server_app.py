"""The app in-process (fast): error handling that needs a failing store, and group commit."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Collection, Iterator, Sequence
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from agentaudit.models import Event, EventIn, Policy
from agentaudit.pipeline import evaluate
from agentaudit.server.app import create_app
from agentaudit.server.committer import GroupCommitter
from agentaudit.server.fastpath import FastIngest
from agentaudit.server.keys import create_key
from agentaudit.store import NewEvent
from agentaudit.store.sqlite import SQLiteStore

SEARCH = {"agent_id": "researcher", "action": "web_search", "data": {"query": "weather"}}


class FlakyStore(SQLiteStore):
    """A store whose stats and appends of agent "boom" fail, as a broken database would."""

    def stats(self, *args, **kwargs):  # type: ignore[override]
        raise RuntimeError("disk on fire: /secret/path/to/db")

    def append(
        self, org_id: str, events: Sequence[NewEvent], *, key_hashes: Collection[str] = ()
    ) -> list[Event]:
        if any(n.event.agent_id == "boom" for n in events):
            raise RuntimeError("append failed")
        return super().append(org_id, events, key_hashes=key_hashes)


@pytest.fixture(params=["route", "fast path"])
def client(tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[tuple[TestClient, str]]:
    """The bare app (POST /v1/events by its route) and the app a server runs (by FastIngest)."""
    store = FlakyStore(tmp_path / "flaky.db")
    key = create_key(store, "test").key
    app = create_app(store, close_store=True)
    asgi = FastIngest(app) if request.param == "fast path" else app
    with TestClient(asgi, raise_server_exceptions=False) as c:  # type: ignore[arg-type]
        yield c, key


def test_500_is_json_without_traceback(client: tuple[TestClient, str]) -> None:
    c, key = client
    r = c.get("/v1/events/stats", headers={"Authorization": f"Bearer {key}"})
    assert r.status_code == 500
    assert r.json() == {"detail": "internal server error"}
    assert "secret" not in r.text and "Traceback" not in r.text


def test_a_failing_write_is_500_and_neighbours_are_unaffected(
    client: tuple[TestClient, str],
) -> None:
    c, key = client
    h = {"Authorization": f"Bearer {key}"}
    assert c.post("/v1/events", headers=h, json={**SEARCH, "agent_id": "boom"}).status_code == 500
    ok = c.post("/v1/events", headers=h, json=SEARCH)
    assert ok.status_code == 201
    assert c.get("/v1/events", headers=h).json()["total"] == 1


def test_in_process_round_trip(client: tuple[TestClient, str]) -> None:
    c, key = client
    h = {"Authorization": f"Bearer {key}"}
    event = c.post("/v1/events", headers=h, json=SEARCH).json()
    assert c.get(f"/v1/events/{event['id']}", headers=h).json() == event
    assert c.get("/health").json() == {"status": "ok"}


async def test_group_commit_shares_a_transaction_and_isolates_failures(tmp_path: Path) -> None:
    store = FlakyStore(tmp_path / "group.db")
    org = store.ensure_org("o").id
    calls: list[int] = []
    gate = threading.Event()

    def counting(self, org_id, events, key_hashes=()):  # type: ignore[no-untyped-def]
        gate.wait(5)  # hold the first commit so the rest queue up behind it
        calls.append(len(events))
        return FlakyStore.append(self, org_id, events, key_hashes=key_hashes)

    store.append = counting.__get__(store)  # type: ignore[method-assign]
    committer = GroupCommitter(store)

    def new(agent: str, key: str | None = None) -> list[NewEvent]:
        event, _ = evaluate(EventIn(**{**SEARCH, "agent_id": agent}), Policy())
        return [NewEvent(event, key)]

    first = asyncio.ensure_future(committer.append(org, new("a0")))
    await asyncio.sleep(0.05)
    rest = [
        asyncio.ensure_future(committer.append(org, new(agent, key)))
        for agent, key in [("a1", "k"), ("a2", "k"), ("boom", None), ("a3", None)]
    ]
    await asyncio.sleep(0.05)
    gate.set()
    results = await asyncio.gather(first, *rest, return_exceptions=True)
    committer.close()
    assert isinstance(results[3], RuntimeError)  # only the bad request fails
    a0, a1, a2, a3 = (results[i] for i in (0, 1, 2, 4))
    assert a1[0].id == a2[0].id  # same idempotency key in one group: stored once
    assert calls[0] == 1 and calls[1] == 4  # the four waiting requests tried one transaction
    assert store.count(org) == 3  # a0, a1 (= a2), a3
    assert {e[0].id for e in (a0, a1, a3)} == {e.id for e in store.iter_events(org)}
    store.close()
