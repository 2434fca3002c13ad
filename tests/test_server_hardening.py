"""Issue 17 against a real `agentaudit serve`: classification never holds the event loop,
duplicate JSON keys, idempotency keys bound to their request, bounded dates and context values,
503s that name their cause, and the dashboard showing the stored classification."""

from __future__ import annotations

import fcntl
import json
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import psycopg
import pytest

from agentaudit.models import Decision, Event, RiskLevel, RuleMatch
from agentaudit.store import NewEvent, open_store
from tests.support.live_server import LiveServer, run_server
from tests.test_dashboard import sign_in
from tests.test_store import pg_session_url

SEARCH = {"agent_id": "researcher", "action": "web_search", "data": {"query": "weather"}}
PII_LINE = "Customer jane.doe{i}@example.com called from +1 415 555 {i:04d} about order {i}; "
PROBE_LIMIT = 0.1  # seconds: what the issue demands of /health and a small POST
ROUNDS = 3


def pii_text(size: int) -> str:
    """Benign text that keeps the classifier busy: an e-mail address and a phone number every
    80 characters (3 s per MiB for the pure-Python classifier, on a slow machine)."""
    text = "".join(PII_LINE.format(i=i % 10_000) for i in range(size // 60 + 1))
    return text[:size]


def auth(key: str, **extra: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}", **extra}


def timed(call: Callable[[], httpx.Response]) -> float:
    start = time.perf_counter()
    response = call()
    elapsed = time.perf_counter() - start
    assert response.status_code in (200, 201), response.text
    return elapsed


@pytest.fixture(scope="module")
def srv(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    db = tmp_path_factory.mktemp("hardening") / "srv.db"
    with run_server(db_path=db, env={"AGENTAUDIT_LOCK_TIMEOUT": "1"}) as server:
        yield server


def db_of(server: LiveServer) -> str:
    return server.store_args[1]


# -- classification off the event loop ----------------------------------------------------------
class Probes:
    """/health and a small POST from another client, connections open and key cached first."""

    def __init__(self, server: LiveServer) -> None:
        other = server.new_key(org=f"probe-{time.monotonic_ns()}")
        self.a = httpx.Client(base_url=server.url, timeout=30)
        self.b = httpx.Client(base_url=server.url, timeout=30, headers=auth(other))
        self.a.get("/health")
        self.b.post("/v1/events", json=SEARCH)
        self.health: list[float] = []
        self.small: list[float] = []

    def run_while(self, busy: Callable[[], bool], probes: int = 10) -> None:
        while busy() and len(self.health) < probes:
            self.health.append(timed(lambda: self.a.get("/health")))
            self.small.append(timed(lambda: self.b.post("/v1/events", json=SEARCH)))
            time.sleep(0.05)
        self.a.close()
        self.b.close()


def _post_in_background(server: LiveServer, key: str, body: bytes) -> tuple[threading.Thread, dict]:
    out: dict[str, Any] = {}

    def send() -> None:
        headers = auth(key, **{"Content-Type": "application/json"})
        try:
            out["response"] = httpx.post(
                f"{server.url}/v1/events", content=body, headers=headers, timeout=600
            )
        except httpx.HTTPError as exc:  # the server was stopped under it
            out["error"] = exc

    thread = threading.Thread(target=send, daemon=True)
    thread.start()
    return thread, out


def test_health_and_a_small_post_answer_while_a_1_mib_event_is_classified(
    srv: LiveServer,
) -> None:
    """Each round sends 1 MiB events back to back for two seconds (each is parsed, scanned up to
    the classifier's cap and stored: a fraction of a second of work) and probes meanwhile. On a
    shared machine the scheduler alone can delay one answer past 100 ms, so a round may be
    repeated (at most ROUNDS); a server that stalls while it classifies fails every round."""
    key = srv.new_key(org="big-benign")
    event = {"agent_id": "a", "action": "summarize", "data": {"text": pii_text(1_000_000)}}
    body = json.dumps(event).encode()
    assert 1_000_000 < len(body) <= 1024 * 1024
    seen = []
    for _ in range(ROUNDS):
        probes = Probes(srv)
        thread, out = _post_repeatedly(srv, key, body, seconds=2.0)
        time.sleep(0.3)  # the first body has arrived; its classification is under way
        probes.run_while(thread.is_alive)
        thread.join(timeout=600)
        assert out["responses"], out
        for response in out["responses"]:
            assert response.status_code == 201
            assert response.json()["pii_fields"] == ["email", "phone"]
        assert len(probes.health) >= 3, "the events were classified before the probes overlapped"
        seen.append((max(probes.health), max(probes.small)))
        if max(seen[-1]) < PROBE_LIMIT:
            return
    pytest.fail(f"slowest /health and small POST per round, seconds: {seen}")


def _post_repeatedly(
    server: LiveServer, key: str, body: bytes, seconds: float
) -> tuple[threading.Thread, dict]:
    """POST `body` back to back for `seconds` in a thread, keeping every answer."""
    out: dict[str, Any] = {"responses": []}

    def send() -> None:
        headers = auth(key, **{"Content-Type": "application/json"})
        stop = time.monotonic() + seconds
        with httpx.Client(base_url=server.url, timeout=600, headers=headers) as c:
            while time.monotonic() < stop:
                out["responses"].append(c.post("/v1/events", content=body))

    thread = threading.Thread(target=send, daemon=True)
    thread.start()
    return thread, out


def test_health_answers_while_16_kib_events_keep_the_server_busy(srv: LiveServer) -> None:
    """Events up to 16 KiB were classified on the event loop itself: six clients sending them
    back to back held /health for the length of several classifications. (Rounds as above.)"""
    key = srv.new_key(org="many-16k")
    phones = " ".join(f"+44 20 7946 {i:04d}" for i in range(900))[:15_000]  # ~0.1 s each
    body = json.dumps({"agent_id": "a", "action": "summarize", "data": {"text": phones}}).encode()
    seen = []
    for _ in range(ROUNDS):
        stop = time.monotonic() + 2.5
        errors: list[int] = []
        args = (srv.url, key, body, stop, errors)
        threads = [threading.Thread(target=_flood, args=args, daemon=True) for _ in range(6)]
        for t in threads:
            t.start()
        health: list[float] = []
        with httpx.Client(base_url=srv.url, timeout=30) as c:
            c.get("/health")
            time.sleep(0.3)
            while time.monotonic() < stop - 0.3:
                health.append(timed(lambda: c.get("/health")))  # noqa: B023 - used at once
                time.sleep(0.05)
        for t in threads:
            t.join(timeout=120)
        assert errors == []
        seen.append((len(health), max(health)))
        if len(health) >= 10 and max(health) < PROBE_LIMIT:
            return
    pytest.fail(f"(probes answered, slowest /health in seconds) per round: {seen}")


def _flood(url: str, key: str, body: bytes, stop: float, errors: list[int]) -> None:
    """POST `body` back to back until `stop` (monotonic), noting any answer but 201."""
    headers = auth(key, **{"Content-Type": "application/json"})
    with httpx.Client(base_url=url, timeout=60, headers=headers) as c:
        while time.monotonic() < stop:
            r = c.post("/v1/events", content=body)
            if r.status_code != 201:
                errors.append(r.status_code)


def test_health_and_a_small_post_answer_while_a_1_mib_adversarial_event_is_in_flight(
    tmp_path: Path,
) -> None:
    """The issue's shape: `"http://" + "a." * n` cost the classifier the square of its length
    (an hour at 1 MiB) and, on the event loop, stalled every other request. Until the classifier
    bounds it, it stays in flight for the whole test: the probes are taken in rounds beside it
    (see ROUNDS), then the server is killed. Once the classifier bounds it, it is answered (201)
    before anything could stall."""
    server = LiveServer(db_path=tmp_path / "adv.db")
    server.start()
    try:
        key = server.new_key(org="adversarial")
        body = json.dumps(
            {"agent_id": "a", "action": "fetch", "data": {"x": "http://" + "a." * 500_000}}
        ).encode()
        assert len(body) <= 1024 * 1024
        thread, out = _post_in_background(server, key, body)
        time.sleep(0.5)
        seen = []
        for _ in range(ROUNDS):
            probes = Probes(server)
            started = time.monotonic()
            probes.run_while(lambda: time.monotonic() - started < 1.0, probes=5)  # noqa: B023
            seen.append((max(probes.health), max(probes.small)))
            if thread.is_alive() and max(seen[-1]) < PROBE_LIMIT and len(probes.health) >= 3:
                return
            if not thread.is_alive():  # classified already: the classifier bounds its cost
                assert out["response"].status_code == 201
                return
        pytest.fail(f"slowest /health and small POST per round, seconds: {seen}")
    finally:
        server.kill()


# -- duplicate JSON keys ------------------------------------------------------------------------
def test_a_key_twice_in_a_json_object_is_400_naming_it(srv: LiveServer) -> None:
    key = srv.new_key(org="dup-keys")
    h = auth(key, **{"Content-Type": "application/json"})
    one = b'{"agent_id": "a", "action": "shell", "data": {"cmd": "rm -rf /", "cmd": "ls"}}'
    r = httpx.post(f"{srv.url}/v1/events", content=one, headers=h)
    assert r.status_code == 400 and '"cmd"' in r.json()["detail"], r.text
    assert "duplicate key" in r.json()["detail"]
    top = b'{"agent_id": "a", "action": "ls", "action": "rm"}'
    r = httpx.post(f"{srv.url}/v1/events", content=top, headers=h)
    assert r.status_code == 400 and '"action"' in r.json()["detail"]
    escaped = b'{"agent_id": "a", "action": "x", "data": {"cmd": "rm -rf /", "\\u0063md": "ls"}}'
    assert httpx.post(f"{srv.url}/v1/events", content=escaped, headers=h).status_code == 400
    batch = (
        b'{"events": [{"agent_id": "a", "action": "ok"},'
        b' {"agent_id": "a", "action": "x", "context": {"session_id": "1", "session_id": "2"}}]}'
    )
    r = httpx.post(f"{srv.url}/v1/events/batch", content=batch, headers=h)
    assert r.status_code == 400 and '"session_id"' in r.json()["detail"]
    policy = b'{"block_on": "low", "block_on": null}'
    r = httpx.put(f"{srv.url}/v1/org/policy", content=policy, headers=h)
    assert r.status_code == 400 and '"block_on"' in r.json()["detail"]
    stats = httpx.get(f"{srv.url}/v1/events/stats", headers=auth(key)).json()
    assert stats["total_events"] == 0  # nothing was stored
    same_key_elsewhere = b'{"agent_id": "a", "action": "x", "data": {"a": {"k": 1}, "b": {"k": 2}}}'
    assert (
        httpx.post(f"{srv.url}/v1/events", content=same_key_elsewhere, headers=h).status_code == 201
    )


# -- idempotency keys bind their request --------------------------------------------------------
def test_an_idempotency_key_reused_with_another_body_is_422_and_a_replay_says_so(
    srv: LiveServer,
) -> None:
    key = srv.new_key(org="idem-one")
    url = f"{srv.url}/v1/events"
    first = httpx.post(url, json=SEARCH, headers=auth(key, **{"Idempotency-Key": "call-1"}))
    assert first.status_code == 201 and "idempotent-replayed" not in first.headers
    same = json.dumps(SEARCH, indent=2, sort_keys=True)  # other spacing, other key order
    again = httpx.post(
        url,
        content=same,
        headers=auth(key, **{"Idempotency-Key": "call-1", "Content-Type": "application/json"}),
    )
    assert again.status_code == 201 and again.headers["idempotent-replayed"] == "true"
    assert again.json() == first.json()
    evil = {**SEARCH, "action": "shell", "data": {"cmd": "rm -rf /"}}
    r = httpx.post(url, json=evil, headers=auth(key, **{"Idempotency-Key": "call-1"}))
    assert r.status_code == 422, r.text
    detail = r.json()["detail"][0]
    assert detail["loc"] == ["header", "Idempotency-Key"]
    assert "already used with a different request" in detail["msg"]
    assert httpx.get(f"{srv.url}/v1/events/stats", headers=auth(key)).json()["total_events"] == 1


def test_batches_bind_each_key_to_its_event(srv: LiveServer) -> None:
    key = srv.new_key(org="idem-batch")
    url = f"{srv.url}/v1/events/batch"
    e0, e1, e2 = ({**SEARCH, "data": {"n": i}} for i in range(3))
    one = httpx.post(
        url, json={"events": [e0, e1], "idempotency_keys": ["k0", "k1"]}, headers=auth(key)
    )
    assert one.status_code == 201 and "idempotent-replayed" not in one.headers
    two = httpx.post(
        url, json={"events": [e0, e1], "idempotency_keys": ["k0", "k1"]}, headers=auth(key)
    )
    assert two.headers["idempotent-replayed"] == "true" and two.json() == one.json()
    part = httpx.post(
        url, json={"events": [e2, e1], "idempotency_keys": ["k2", "k1"]}, headers=auth(key)
    )
    assert part.status_code == 201
    assert part.headers["idempotent-replayed"] == "partial"
    assert part.headers["idempotent-replayed-indexes"] == "1"
    bad = httpx.post(
        url,
        json={"events": [e2, {**e0, "action": "shell"}], "idempotency_keys": ["k2", "k0"]},
        headers=auth(key),
    )
    assert bad.status_code == 422
    assert [d["loc"] for d in bad.json()["detail"]] == [["body", "idempotency_keys", 1]]
    header_keyed = auth(key, **{"Idempotency-Key": "B"})  # the events get B:0, B:1
    assert httpx.post(url, json={"events": [e0, e1]}, headers=header_keyed).status_code == 201
    changed = httpx.post(url, json={"events": [e0, e2]}, headers=header_keyed)
    assert changed.status_code == 422
    assert [d["loc"] for d in changed.json()["detail"]] == [["body", "events", 1]]
    total = httpx.get(f"{srv.url}/v1/events/stats", headers=auth(key)).json()["total_events"]
    assert total == 5  # k0, k1, k2, B:0, B:1: nothing of the refused requests


# -- bounds -------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("session", "problem"),
    [(42, "must be a string"), ({"id": 1}, "must be a string"), ("s" * 257, "at most 256")],
)
def test_filterable_context_values_are_bounded_strings(
    srv: LiveServer, session: Any, problem: str
) -> None:
    key = srv.new_key(org="session-ids")
    r = httpx.post(
        f"{srv.url}/v1/events",
        json={**SEARCH, "context": {"session_id": session}},
        headers=auth(key),
    )
    assert r.status_code == 422
    detail = r.json()["detail"][0]
    assert detail["loc"] == ["body", "context", "session_id"] and problem in detail["msg"]
    longest = "s" * 256
    ok = httpx.post(
        f"{srv.url}/v1/events",
        json={**SEARCH, "context": {"session_id": longest}},
        headers=auth(key),
    )
    assert ok.status_code == 201
    found = httpx.get(f"{srv.url}/v1/events", params={"session_id": longest}, headers=auth(key))
    assert found.json()["total"] >= 1  # stored as sent, not cut


OUT_OF_RANGE = [
    "0001-01-01T00:00:00Z",
    "0001-01-01T00:30:00+01:00",
    "1969-12-31T23:59:59Z",
    "9999-12-31T00:00:00Z",
    "9999-12-31T23:59:59.999999-01:00",
]


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def any_server(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[LiveServer]:
    if request.param == "sqlite":
        with run_server(db_path=tmp_path / "dates.db") as server:
            yield server
    else:
        with run_server(
            database_url=pg_session_url(), org=f"dates-{time.monotonic_ns()}"
        ) as server:
            yield server


def test_out_of_range_dates_are_422_naming_the_parameter(any_server: LiveServer) -> None:
    h = auth(any_server.api_key)
    httpx.post(f"{any_server.url}/v1/events", json=SEARCH, headers=h)
    for value in OUT_OF_RANGE:
        for path in ("/v1/events", "/v1/events/stats"):
            for name in ("after", "before"):
                r = httpx.get(f"{any_server.url}{path}", params={name: value}, headers=h)
                assert r.status_code == 422, (path, name, value, r.text)
                detail = r.json()["detail"][0]
                assert detail["loc"] == ["query", name] and "must be between" in detail["msg"]
    edges = {"after": "1970-01-01T00:00:00Z", "before": "9999-12-30T23:59:59Z"}
    for path in ("/v1/events", "/v1/events/stats"):
        assert httpx.get(f"{any_server.url}{path}", params=edges, headers=h).status_code == 200
    client = sign_in(any_server.url, any_server.api_key)
    for value in ("0001-01-01T00:00", "9999-12-31T23:59"):
        page = client.get("/dashboard/events", params={"after": value})
        assert page.status_code == 200 and "after must be between" in page.text
    for query in ({"from": "0001-01-01"}, {"to": "9999-12-31"}, {"from": "9999-12-31"}):
        page = client.get("/dashboard/stats", params=query)
        assert page.status_code == 200 and "must be between" in page.text, query
    assert "Traceback" not in any_server.output()


def test_retention_days_is_capped(srv: LiveServer) -> None:
    key = srv.new_key(org="retention")
    url = f"{srv.url}/v1/org/policy"
    r = httpx.put(url, json={"retention_days": 3_000_000}, headers=auth(key))
    assert r.status_code == 422 and r.json()["detail"][0]["loc"] == ["body", "retention_days"]
    assert httpx.put(url, json={"retention_days": 36_500}, headers=auth(key)).status_code == 200


# -- 503 with the cause: locks held, disk full ---------------------------------------------------
def _assert_503(r: httpx.Response, cause: str) -> None:
    assert r.status_code == 503, r.text
    assert cause in r.json()["detail"], r.json()["detail"]
    assert int(r.headers["retry-after"]) >= 1


def test_a_held_writers_lock_is_503_after_a_bounded_wait(srv: LiveServer) -> None:
    key = srv.new_key(org="writers-lock")
    fd = open(db_of(srv) + "-lock", "a+")  # noqa: SIM115 - held across the requests
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        start = time.monotonic()
        r = httpx.post(f"{srv.url}/v1/events", json=SEARCH, headers=auth(key), timeout=30)
        waited = time.monotonic() - start
        _assert_503(r, "writers' lock")
        assert waited < 5  # AGENTAUDIT_LOCK_TIMEOUT=1: not the 30 s (or forever) of before
        batch = httpx.post(
            f"{srv.url}/v1/events/batch",
            json={"events": [SEARCH] * 3},
            headers=auth(key),
            timeout=30,
        )
        _assert_503(batch, "writers' lock")
    finally:
        fcntl.flock(fd, fcntl.LOCK_UN)
        fd.close()
    assert httpx.post(f"{srv.url}/v1/events", json=SEARCH, headers=auth(key)).status_code == 201
    verify = httpx.get(f"{srv.url}/v1/verify", headers=auth(key)).json()
    assert verify["ok"] and verify["head_seq"] == 1  # the refused requests stored nothing


def test_a_locked_database_is_503_naming_the_lock(srv: LiveServer) -> None:
    key = srv.new_key(org="db-lock")
    conn = sqlite3.connect(db_of(srv), isolation_level=None)
    try:
        conn.execute("BEGIN IMMEDIATE")  # what another program writing to the file would hold
        r = httpx.post(f"{srv.url}/v1/events", json=SEARCH, headers=auth(key), timeout=30)
        _assert_503(r, "locked")
        policy = httpx.put(
            f"{srv.url}/v1/org/policy", json={"block_on": "high"}, headers=auth(key), timeout=30
        )
        _assert_503(policy, "locked")
    finally:
        conn.execute("ROLLBACK")
        conn.close()
    assert httpx.post(f"{srv.url}/v1/events", json=SEARCH, headers=auth(key)).status_code == 201


def test_a_full_disk_is_503_and_loses_no_acknowledged_event(tmp_path: Path) -> None:
    """SQLite's own SQLITE_FULL, from a cap on the file's size (AGENTAUDIT_SQLITE_MAX_BYTES):
    before, the answer was 500 and the log said "cannot rollback - no transaction is active"."""
    db = tmp_path / "full.db"
    server = LiveServer(db_path=db, env={"AGENTAUDIT_SQLITE_MAX_BYTES": str(400 * 1024)})
    server.start()
    acked: list[str] = []
    try:
        filler = {"agent_id": "a", "action": "note", "data": {"text": "x" * 3000}}
        with httpx.Client(base_url=server.url, headers=auth(server.api_key), timeout=30) as c:
            for _ in range(400):
                r = c.post("/v1/events", json=filler)
                if r.status_code != 201:
                    break
                acked.append(r.json()["id"])
            _assert_503(r, "disk is full")
            batch = c.post("/v1/events/batch", json={"events": [filler] * 5})
            _assert_503(batch, "disk is full")
            assert c.get("/health").status_code == 200
        log = server.output()
        assert "cannot rollback" not in log and "Traceback" not in log
    finally:
        server.stop()
    assert 10 < len(acked) < 400
    server.env.pop("AGENTAUDIT_SQLITE_MAX_BYTES")  # room again: everything acknowledged is there
    server.start()
    try:
        h = auth(server.api_key)
        stats = httpx.get(f"{server.url}/v1/events/stats", headers=h).json()
        assert stats["total_events"] == len(acked)
        assert httpx.get(f"{server.url}/v1/verify", headers=h).json()["ok"]
    finally:
        server.stop()


@pytest.mark.postgres
def test_a_lock_held_in_postgresql_is_503_after_lock_timeout() -> None:
    url = pg_session_url()
    with run_server(
        database_url=url, env={"AGENTAUDIT_LOCK_TIMEOUT": "1"}, org=f"pg-lock-{time.monotonic_ns()}"
    ) as server:
        h = auth(server.api_key)
        first = httpx.post(f"{server.url}/v1/events", json=SEARCH, headers=h)
        assert first.status_code == 201
        with psycopg.connect(url) as conn:  # a transaction that holds the chain head
            conn.execute(
                "SELECT 1 FROM chain_heads WHERE org_id = (SELECT org_id FROM events WHERE id = %s)"
                " FOR UPDATE",
                (first.json()["id"],),
            )
            start = time.monotonic()
            r = httpx.post(f"{server.url}/v1/events", json=SEARCH, headers=h, timeout=30)
            assert time.monotonic() - start < 5
            _assert_503(r, "lock_timeout")
            conn.rollback()
        assert httpx.post(f"{server.url}/v1/events", json=SEARCH, headers=h).status_code == 201
        assert "Traceback" not in server.output()


# -- the dashboard shows what was stored --------------------------------------------------------
def test_the_event_page_shows_the_stored_rules_and_a_partial_scan(srv: LiveServer) -> None:
    """The page used to re-run classify on every view (a 60 KB event took 4.1 s to show). It
    now shows the rules stored with the event: here ones classify would never give."""
    key = srv.new_key(org="stored-rules")
    org_id = httpx.post(f"{srv.url}/v1/events", json=SEARCH, headers=auth(key)).json()["id"]
    store = open_store(db_of(srv))
    try:
        org = next(o.id for o in store.list_orgs() if o.name == "stored-rules")
        event = Event(
            id="01" + "K" * 24,
            agent_id="a",
            action="web_search",
            data={"query": "weather"},
            risk_level=RiskLevel.HIGH,
            pii_detected=False,
            created_at=store.get_event(org, org_id).created_at,  # type: ignore[union-attr]
            stored=True,
            decision=Decision.ALLOW,
            matches=[RuleMatch(rule="custom.never_from_classify", level="high", evidence="ev-77")],
            partial_scan=True,
        )
        store.append(org, [NewEvent(event)])
    finally:
        store.close()
    client = sign_in(srv.url, key)
    page = client.get(f"/dashboard/events/{event.id}").text
    assert "custom.never_from_classify" in page and "ev-77" in page
    assert 'id="partial-scan"' in page
    plain = client.get(f"/dashboard/events/{org_id}").text
    assert "re-evaluated" not in plain and 'id="partial-scan"' not in plain
    r = httpx.delete(f"{srv.url}/v1/events/{event.id}/payload", headers=auth(key))
    assert r.status_code == 200
    erased = client.get(f"/dashboard/events/{event.id}").text
    assert "custom.never_from_classify" in erased and "ev-77" not in erased
    assert "erased with the payload" in erased and 'id="erased-by"' in erased
    record_id = httpx.get(f"{srv.url}/v1/events?limit=1", headers=auth(key)).json()["events"][0][
        "id"
    ]
    record = client.get(f"/dashboard/events/{record_id}").text
    assert 'id="erasure-record"' in record and f"api key {key[:16]}" in record
