"""Webhooks (issue 21, alerts): a real `agentaudit serve` process delivering to a real local
HTTP receiver (http.server in a thread), on SQLite and PostgreSQL."""

from __future__ import annotations

import ipaddress
import json
import os
import re
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx
import pytest

from agentaudit.alerts.format import verify
from agentaudit.alerts.ssrf import ALLOW_PRIVATE_ENV, UnsafeTarget, check_url, forbidden_reason
from tests.support.live_server import LiveServer, run_server

ALLOW = {ALLOW_PRIVATE_ENV: "1"}
DROP = {
    "agent_id": "ops-bot",
    "action": "database_query",
    "data": {"query": "DROP TABLE customers_secret_table"},
}
SEARCH = {"agent_id": "researcher", "action": "web_search", "data": {"query": "weather"}}
WAIT = 30.0  # upper bound for what happens in the background (not a timing assertion)
PG_ADMIN_URL = (
    os.environ.get("AGENTAUDIT_TEST_DATABASE_URL")
    or "postgresql://postgres@127.0.0.1:5432/agentaudit_test"
)


# -- a real HTTP receiver -------------------------------------------------------------------------
@dataclass
class Received:
    headers: dict[str, str]
    body: bytes
    path: str = ""

    def json(self) -> Any:
        return json.loads(self.body)


@dataclass
class Receiver:
    """Answers each POST with the next scripted status (then 200); records what it got and,
    in `order`, when it received and when it answered."""

    statuses: list[int] = field(default_factory=list)
    hold: threading.Event | None = None  # when set up: each answer waits for it (at most 5 s)
    got: list[Received] = field(default_factory=list)
    order: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    url: str = ""

    def wait_for(self, n: int) -> list[Received]:
        deadline = time.monotonic() + WAIT
        while time.monotonic() < deadline:
            with self.lock:
                if len(self.got) >= n:
                    return list(self.got)
            time.sleep(0.02)
        raise AssertionError(f"the receiver got {len(self.got)} requests, expected {n}")


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    state = Receiver()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 (http.server's name)
            body = self.rfile.read(int(self.headers.get("content-length", "0")))
            with state.lock:
                state.got.append(Received(dict(self.headers.items()), body, self.path))
                state.order.append("receiver got an alert")
                status = state.statuses.pop(0) if state.statuses else 200
            if state.hold is not None:
                state.hold.wait(5.0)
            self.send_response(status)
            self.send_header("Content-Length", "2")
            self.end_headers()
            self.wfile.write(b"ok")
            with state.lock:
                state.order.append("receiver answered")

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    state.url = f"http://127.0.0.1:{server.server_address[1]}/hook"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield state
    finally:
        if state.hold is not None:
            state.hold.set()
        server.shutdown()
        server.server_close()


# -- helpers --------------------------------------------------------------------------------------
def auth(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}


def add_hook(srv: LiveServer, url: str, events: list[str], fmt: str = "json") -> dict[str, Any]:
    r = httpx.post(
        f"{srv.url}/v1/org/webhooks",
        json={"url": url, "events": events, "format": fmt},
        headers=auth(srv.api_key),
    )
    assert r.status_code == 201, r.text
    return r.json()


def post_event(srv: LiveServer, event: dict[str, Any]) -> dict[str, Any]:
    r = httpx.post(f"{srv.url}/v1/events", json=event, headers=auth(srv.api_key), timeout=30)
    assert r.status_code == 201, r.text
    return r.json()


def deliveries(srv: LiveServer, hook_id: str) -> list[dict[str, Any]]:
    r = httpx.get(f"{srv.url}/v1/org/webhooks/{hook_id}/deliveries", headers=auth(srv.api_key))
    assert r.status_code == 200, r.text
    return r.json()


def wait_log(
    srv: LiveServer, hook_id: str, done: Callable[[list[dict[str, Any]]], bool]
) -> list[dict[str, Any]]:
    deadline = time.monotonic() + WAIT
    while time.monotonic() < deadline:
        found = deliveries(srv, hook_id)
        if done(found):
            return found
        time.sleep(0.05)
    raise AssertionError(f"the delivery log never got there: {deliveries(srv, hook_id)}")


def check_signature(got: Received, secret: str) -> None:
    timestamp = int(got.headers["X-AgentAudit-Timestamp"])
    assert abs(timestamp - time.time()) < 300
    assert got.headers["X-AgentAudit-Signature"].startswith("sha256=")
    assert verify(secret, timestamp, got.body, got.headers["X-AgentAudit-Signature"])
    assert not verify("whsec_wrong", timestamp, got.body, got.headers["X-AgentAudit-Signature"])
    assert not verify(secret, timestamp + 1, got.body, got.headers["X-AgentAudit-Signature"])


@pytest.fixture
def pg_url() -> Iterator[str]:
    import psycopg

    name = f"aa_webhooks_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    base, _, _ = PG_ADMIN_URL.rpartition("/")
    try:
        yield f"{base}/{name}"
    finally:
        with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def store_args(request: pytest.FixtureRequest, tmp_path: Path) -> dict[str, Any]:
    if request.param == "sqlite":
        return {"db_path": tmp_path / "srv.db"}
    return {"database_url": request.getfixturevalue("pg_url")}


# -- delivery -------------------------------------------------------------------------------------
def test_a_blocked_call_is_delivered_signed_without_its_payload(
    receiver: Receiver, store_args: dict[str, Any]
) -> None:
    with run_server(env=ALLOW, **store_args) as srv:
        hook = add_hook(srv, receiver.url, ["block", "critical"])
        assert hook["secret"].startswith("whsec_") and hook["events"] == ["block", "critical"]
        listed = httpx.get(f"{srv.url}/v1/org/webhooks", headers=auth(srv.api_key)).json()
        assert [h["id"] for h in listed] == [hook["id"]]
        assert "secret" not in listed[0]

        post_event(srv, SEARCH)  # allowed, low risk: fires nothing
        blocked = post_event(srv, DROP)
        assert blocked["decision"] == "block"
        (got,) = receiver.wait_for(1)
        check_signature(got, hook["secret"])
        doc = got.json()
        assert doc["type"] == "agentaudit.alert"
        assert doc["triggers"] == ["block", "critical"]
        assert doc["event"]["id"] == blocked["id"]
        assert doc["event"]["agent_id"] == "ops-bot"
        assert doc["event"]["action"] == "database_query"
        assert doc["event"]["decision"] == "block"
        assert doc["event"]["risk_level"] == "critical"
        assert doc["event"]["rule"] and doc["event"]["reason"].startswith("risk critical")
        assert "articles" in doc["event"]
        assert "customers_secret_table" not in got.body.decode()  # never the payload
        assert "data" not in doc["event"]
        assert got.headers["X-AgentAudit-Delivery"] == doc["delivery_id"]
        assert got.headers["X-AgentAudit-Trigger"] == "block,critical"

        log = wait_log(srv, hook["id"], lambda d: len(d) == 1)
        assert log[0]["outcome"] == "delivered" and log[0]["http_status"] == 200
        assert log[0]["attempt"] == 1 and log[0]["event_id"] == blocked["id"]
        assert receiver.wait_for(1) and len(receiver.got) == 1  # the search fired nothing


def test_a_receiver_failing_twice_gets_three_attempts(receiver: Receiver, tmp_path: Path) -> None:
    receiver.statuses = [500, 500]
    with run_server(env=ALLOW, db_path=tmp_path / "srv.db") as srv:
        hook = add_hook(srv, receiver.url, ["block"])
        blocked = post_event(srv, DROP)
        got = receiver.wait_for(3)
        assert len({g.headers["X-AgentAudit-Delivery"] for g in got}) == 1  # one alert
        log = wait_log(srv, hook["id"], lambda d: any(x["outcome"] == "delivered" for x in d))
        log.sort(key=lambda x: x["attempt"])
        assert [(x["attempt"], x["outcome"], x["http_status"]) for x in log] == [
            (1, "retrying", 500),
            (2, "retrying", 500),
            (3, "delivered", 200),
        ]
        assert {x["event_id"] for x in log} == {blocked["id"]}
        assert all(x["duration_ms"] is not None for x in log)
        for g in got:
            check_signature(g, hook["secret"])


def test_a_batch_alerts_once_per_event_and_a_replay_alerts_nothing(
    receiver: Receiver, tmp_path: Path
) -> None:
    with run_server(env=ALLOW, db_path=tmp_path / "srv.db") as srv:
        hook = add_hook(srv, receiver.url, ["block"])
        body = {"events": [DROP, SEARCH, DROP]}
        headers = {**auth(srv.api_key), "Idempotency-Key": "batch-1"}
        first = httpx.post(f"{srv.url}/v1/events/batch", json=body, headers=headers)
        assert first.status_code == 201, first.text
        blocked = [e["id"] for e in first.json()["events"] if e["decision"] == "block"]
        assert len(blocked) == 2
        wait_log(srv, hook["id"], lambda d: len(d) == 2)
        again = httpx.post(f"{srv.url}/v1/events/batch", json=body, headers=headers)
        assert [e["id"] for e in again.json()["events"]] == [
            e["id"] for e in first.json()["events"]
        ]
        later = post_event(srv, DROP)  # alerts go in order: once it is in, a replay's would be
        log = wait_log(srv, hook["id"], lambda d: any(x["event_id"] == later["id"] for x in d))
        assert sorted(d["event_id"] for d in log) == sorted([*blocked, later["id"]])
        assert len(receiver.got) == 3


def test_a_retry_still_waiting_at_shutdown_is_logged_as_dropped(
    receiver: Receiver, tmp_path: Path
) -> None:
    receiver.statuses = [503] * 10
    db = tmp_path / "srv.db"
    srv = LiveServer(env=ALLOW, db_path=db)
    srv.start()
    try:
        hook = add_hook(srv, receiver.url, ["block"])
        post_event(srv, DROP)
        wait_log(srv, hook["id"], lambda d: len(d) >= 1)  # the first attempt failed: a retry waits
    finally:
        srv.stop()  # graceful (SIGTERM): what waits is logged, not silently lost
    from agentaudit.store import open_store

    store = open_store(db, auto_upgrade=False)
    try:
        org_id = store.org_for_key_hash(_hash(srv.api_key))
        assert org_id is not None
        log = store.list_deliveries(org_id, hook["id"])  # type: ignore[attr-defined]
    finally:
        store.close()
    outcomes = [d.outcome for d in sorted(log, key=lambda d: d.attempt)]
    assert outcomes[0] == "retrying" and outcomes[-1] == "dropped", outcomes
    assert "stopped" in (log[0].error or "")  # newest first: the drop
    assert len(receiver.got) == len(outcomes) - 1


def test_slack_format_is_a_readable_text_line(receiver: Receiver, tmp_path: Path) -> None:
    with run_server(env=ALLOW, db_path=tmp_path / "srv.db") as srv:
        hook = add_hook(srv, receiver.url, ["critical"], fmt="slack")
        post_event(srv, DROP)
        (got,) = receiver.wait_for(1)
        body = got.json()
        assert list(body) == ["text"]
        assert "`ops-bot`" in body["text"] and "`database_query`" in body["text"]
        assert "critical" in body["text"] and "customers_secret_table" not in body["text"]
        check_signature(got, hook["secret"])


def test_ingest_answers_while_a_delivery_is_held(receiver: Receiver, tmp_path: Path) -> None:
    """The receiver holds its answer (5 s at most): ingest must answer before it does."""
    receiver.hold = threading.Event()
    with run_server(env=ALLOW, db_path=tmp_path / "srv.db") as srv:
        add_hook(srv, receiver.url, ["block"])
        post_event(srv, DROP)
        receiver.wait_for(1)  # the dispatcher is now waiting on the receiver
        post_event(srv, DROP)  # a second blocked call, during that delivery
        with receiver.lock:
            receiver.order.append("ingest answered")
        receiver.hold.set()
        receiver.wait_for(2)
        assert receiver.order.index("ingest answered") < receiver.order.index("receiver answered")


# -- SSRF -----------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "address",
    [
        "127.0.0.1",
        "10.1.2.3",
        "172.16.0.1",
        "192.168.1.1",
        "169.254.169.254",
        "100.64.0.1",
        "0.0.0.0",
        "224.0.0.1",
        "240.0.0.1",
        "::1",
        "::",
        "fe80::1",
        "fc00::1",
        "ff02::1",
        "::ffff:127.0.0.1",
        "::ffff:169.254.169.254",
        "64:ff9b::a00:1",
        "2002:a00:1::",
    ],
)
def test_non_public_addresses_are_refused(address: str) -> None:
    assert forbidden_reason(ipaddress.ip_address(address)) is not None
    host = f"[{address}]" if ":" in address else address
    with pytest.raises(UnsafeTarget):
        check_url(f"http://{host}:8080/x", allow_private=False)
    assert check_url(f"http://{host}:8080/x", allow_private=True).port == 8080


@pytest.mark.parametrize("address", ["93.184.216.34", "2606:2800:220:1:248:1893:25c8:1946"])
def test_public_addresses_pass(address: str) -> None:
    assert forbidden_reason(ipaddress.ip_address(address)) is None


def test_private_targets_are_refused_at_configuration_and_at_delivery(
    receiver: Receiver, tmp_path: Path
) -> None:
    db = tmp_path / "srv.db"
    with run_server(db_path=db) as srv:  # no AGENTAUDIT_WEBHOOK_ALLOW_PRIVATE
        for url in (
            receiver.url,
            "http://localhost:9/x",
            "http://[::ffff:127.0.0.1]/x",
            "http://169.254.169.254/latest/meta-data",
            "https://10.0.0.5/x",
            "http://0x7f000001/x",  # a resolver reads it as 127.0.0.1
        ):
            r = httpx.post(
                f"{srv.url}/v1/org/webhooks",
                json={"url": url, "events": ["block"]},
                headers=auth(srv.api_key),
            )
            assert r.status_code == 422, (url, r.text)
            assert r.json()["detail"][0]["loc"] == ["body", "url"]
            assert ALLOW_PRIVATE_ENV in r.json()["detail"][0]["msg"]
        assert httpx.get(f"{srv.url}/v1/org/webhooks", headers=auth(srv.api_key)).json() == []

        # A host that resolved to a public address when configured and to a private one now
        # (DNS changed): written to the store directly, as such a webhook would be.
        from agentaudit.alerts.models import WebhookIn
        from agentaudit.store import open_store

        store = open_store(db, auto_upgrade=False)
        try:
            org_id = store.org_for_key_hash(_hash(srv.api_key))
            assert org_id is not None
            fields = WebhookIn(url=receiver.url, events=["block"])  # type: ignore[list-item]
            hook = store.create_webhook(org_id, fields, "whsec_x")  # type: ignore[attr-defined]
        finally:
            store.close()
        post_event(srv, DROP)
        log = wait_log(srv, hook.id, lambda d: len(d) >= 1)
        assert log[0]["outcome"] == "refused" and "127.0.0.1" in log[0]["error"]
        test = httpx.post(
            f"{srv.url}/v1/org/webhooks/{hook.id}/test", headers=auth(srv.api_key)
        ).json()
        assert test["outcome"] == "refused"
        assert receiver.got == []  # nothing ever reached the private address


def _hash(key: str) -> str:
    from agentaudit.server.keys import hash_key

    return hash_key(key)


# -- validation and organisations ------------------------------------------------------------------
@pytest.mark.parametrize(
    ("body", "loc"),
    [
        ({"url": "ftp://example.com/x", "events": ["block"]}, ["body", "url"]),
        ({"url": "http://user:pw@example.com/x", "events": ["block"]}, ["body", "url"]),
        ({"url": "http://2130706433/x", "events": ["block"]}, ["body", "url"]),
        ({"url": "https://example.com/x", "events": []}, ["body", "events"]),
        ({"url": "https://example.com/x", "events": ["explode"]}, ["body", "events", 0]),
        (
            {"url": "https://example.com/x", "events": ["block"], "format": "xml"},
            ["body", "format"],
        ),
        (
            {"url": "https://example.com/x", "events": ["block"], "secret": "mine"},
            ["body", "secret"],
        ),
    ],
)
def test_bad_webhooks_are_refused_naming_the_field(
    tmp_path: Path, body: dict[str, Any], loc: list[Any], live: LiveServer
) -> None:
    r = httpx.post(f"{live.url}/v1/org/webhooks", json=body, headers=auth(live.api_key))
    assert r.status_code == 422, r.text
    assert r.json()["detail"][0]["loc"] == loc


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    with run_server(env=ALLOW, db_path=tmp_path_factory.mktemp("live") / "srv.db") as srv:
        yield srv


def test_a_host_that_does_not_resolve_yet_is_accepted_and_checked_at_delivery(
    live: LiveServer,
) -> None:
    hook = add_hook(live, "https://no-such-host.invalid/x", ["review"])
    r = httpx.post(f"{live.url}/v1/org/webhooks/{hook['id']}/test", headers=auth(live.api_key))
    assert r.json()["outcome"] == "failed" and "cannot resolve" in r.json()["error"]
    httpx.delete(f"{live.url}/v1/org/webhooks/{hook['id']}", headers=auth(live.api_key))


def test_a_paused_webhook_gets_no_alert_and_a_patch_is_validated_whole(
    receiver: Receiver, live: LiveServer
) -> None:
    hook = add_hook(live, receiver.url, ["block"])
    marker = add_hook(live, receiver.url + "?marker", ["block"])  # never paused
    url = f"{live.url}/v1/org/webhooks/{hook['id']}"
    paused = httpx.patch(url, json={"enabled": False}, headers=auth(live.api_key))
    assert paused.status_code == 200, paused.text
    assert paused.json()["enabled"] is False and paused.json()["url"] == receiver.url
    assert "secret" not in paused.json()
    bad = httpx.patch(url, json={"events": ["explode"]}, headers=auth(live.api_key))
    assert bad.status_code == 422 and bad.json()["detail"][0]["loc"][:2] == ["body", "events"]
    bad = httpx.patch(url, json={"url": "gopher://x"}, headers=auth(live.api_key))
    assert bad.status_code == 422 and bad.json()["detail"][0]["loc"] == ["body", "url"]
    post_event(live, DROP)
    assert receiver.wait_for(1)[0].path == "/hook?marker"  # the alert was handled, paused
    resumed = httpx.patch(
        url, json={"enabled": True, "events": ["critical"]}, headers=auth(live.api_key)
    )
    assert resumed.json()["enabled"] is True and resumed.json()["events"] == ["critical"]
    later = post_event(live, DROP)
    receiver.wait_for(3)
    (got,) = [g for g in receiver.got if g.path == "/hook"]  # only the call after resuming
    assert got.json()["event"]["id"] == later["id"] and got.json()["triggers"] == ["critical"]
    assert got.headers["X-AgentAudit-Trigger"] == "critical"  # what this webhook asked for
    check_signature(got, hook["secret"])  # the secret did not change
    httpx.delete(url, headers=auth(live.api_key))
    httpx.delete(f"{live.url}/v1/org/webhooks/{marker['id']}", headers=auth(live.api_key))


def test_webhooks_belong_to_their_organisation(receiver: Receiver, live: LiveServer) -> None:
    hook = add_hook(live, receiver.url, ["block"])
    other = live.new_key(org="webhooks-other")
    base = f"{live.url}/v1/org/webhooks"
    assert hook["id"] not in [h["id"] for h in httpx.get(base, headers=auth(other)).json()]
    assert httpx.delete(f"{base}/{hook['id']}", headers=auth(other)).status_code == 404
    assert httpx.post(f"{base}/{hook['id']}/test", headers=auth(other)).status_code == 404
    assert httpx.get(f"{base}/{hook['id']}/deliveries", headers=auth(other)).status_code == 404
    assert httpx.get(base).status_code == 401
    assert httpx.delete(f"{base}/{hook['id']}", headers=auth(live.api_key)).status_code == 204
    assert httpx.delete(f"{base}/{hook['id']}", headers=auth(live.api_key)).status_code == 404


def test_the_test_endpoint_sends_one_signed_sample_and_logs_it(
    receiver: Receiver, live: LiveServer
) -> None:
    hook = add_hook(live, receiver.url, ["approval"])
    r = httpx.post(f"{live.url}/v1/org/webhooks/{hook['id']}/test", headers=auth(live.api_key))
    assert r.status_code == 200, r.text
    assert r.json()["outcome"] == "delivered" and r.json()["trigger"] == "test"
    (got,) = receiver.wait_for(1)
    check_signature(got, hook["secret"])
    assert got.json()["type"] == "agentaudit.test"
    assert [d["outcome"] for d in deliveries(live, hook["id"])] == ["delivered"]


# -- dashboard ------------------------------------------------------------------------------------
CSRF_INPUT = re.compile(r'name="csrf_token" value="([^"]+)"')


def sign_in(url: str, key: str) -> httpx.Client:
    client = httpx.Client(base_url=url, follow_redirects=False, timeout=30)
    token = CSRF_INPUT.search(client.get("/dashboard/login").text).group(1)  # type: ignore[union-attr]
    assert (
        client.post("/dashboard/login", data={"api_key": key, "csrf_token": token}).status_code
        == 303
    )
    return client


def test_dashboard_lists_webhooks_sends_a_test_and_shows_the_log(
    receiver: Receiver, tmp_path: Path
) -> None:
    with run_server(env=ALLOW, db_path=tmp_path / "srv.db") as srv:
        client = sign_in(srv.url, srv.api_key)
        page = client.get("/dashboard/webhooks")
        assert page.status_code == 200 and "No webhook yet." in page.text
        assert 'href="/dashboard/webhooks"' in page.text  # in the navigation
        token = CSRF_INPUT.search(page.text).group(1)  # type: ignore[union-attr]

        refused = client.post(
            "/dashboard/webhooks",
            data={"url": "ftp://x", "events": "block", "format": "json", "csrf_token": token},
        )
        assert refused.status_code == 422 and "webhook-errors" in refused.text
        forged = client.post(
            "/dashboard/webhooks",
            data={"url": receiver.url, "events": "block", "csrf_token": "x" * 43},
        )
        assert forged.status_code == 403
        made = client.post(
            "/dashboard/webhooks",
            data={"url": receiver.url, "events": ["block"], "format": "json", "csrf_token": token},
        )
        assert made.status_code == 201, made.text
        secret = re.search(r'id="webhook-secret">([^<]+)<', made.text).group(1)  # type: ignore[union-attr]
        (hook,) = httpx.get(f"{srv.url}/v1/org/webhooks", headers=auth(srv.api_key)).json()

        pressed = client.post(f"/dashboard/webhooks/{hook['id']}/test", data={"csrf_token": token})
        assert pressed.status_code == 303
        (got,) = receiver.wait_for(1)
        check_signature(got, secret)
        blocked = post_event(srv, DROP)
        wait_log(srv, hook["id"], lambda d: len(d) == 2)
        page = client.get("/dashboard/webhooks?notice=tested")
        assert "webhooks-notice" in page.text and secret not in page.text
        log = page.text.split('id="deliveries"', 1)[1]
        assert log.count('class="delivery outcome-delivered"') == 2
        assert blocked["id"] in log and ">test<" in log

        paused = client.post(f"/dashboard/webhooks/{hook['id']}/toggle", data={"csrf_token": token})
        assert paused.status_code == 303
        (listed,) = httpx.get(f"{srv.url}/v1/org/webhooks", headers=auth(srv.api_key)).json()
        assert listed["enabled"] is False and ">Resume<" in client.get("/dashboard/webhooks").text

        gone = client.post(f"/dashboard/webhooks/{hook['id']}/delete", data={"csrf_token": token})
        assert gone.status_code == 303
        assert httpx.get(f"{srv.url}/v1/org/webhooks", headers=auth(srv.api_key)).json() == []


# -- the dispatcher's queue -----------------------------------------------------------------------
def test_a_full_queue_drops_the_alert_logs_the_drop_and_never_blocks(
    receiver: Receiver, tmp_path: Path
) -> None:
    """One alert held at the receiver, one queued (the queue holds one): a third is dropped,
    at once, and the drop is in the delivery log; the first two are delivered."""
    from agentaudit.alerts.dispatcher import WebhookDispatcher
    from agentaudit.alerts.models import WebhookIn
    from agentaudit.models import EventIn
    from agentaudit.service import AuditService
    from agentaudit.store.sqlite import SQLiteStore

    store = SQLiteStore(tmp_path / "q.db")
    org = store.create_org("queue")
    hook = store.create_webhook(org.id, WebhookIn(url=receiver.url, events=["block"]), "whsec_q")  # type: ignore[list-item]
    stored = AuditService(store).record(org.id, [EventIn.model_validate(DROP)] * 3)
    assert [e.decision for e in stored] == ["block"] * 3
    receiver.hold = threading.Event()
    dispatcher = WebhookDispatcher(store, allow_private=True, queue_size=1)
    try:
        dispatcher.notify(org.id, stored[:1])
        receiver.wait_for(1)  # the worker is held by the receiver
        dispatcher.notify(org.id, stored[1:])  # one fits the queue, one does not
        receiver.hold.set()
        receiver.wait_for(2)
        deadline = time.monotonic() + WAIT
        while len(store.list_deliveries(org.id, hook.id)) < 3 and time.monotonic() < deadline:
            time.sleep(0.05)
        log = {d.event_id: d for d in store.list_deliveries(org.id, hook.id)}
        assert log[stored[0].id].outcome == "delivered"
        assert log[stored[1].id].outcome == "delivered"
        assert log[stored[2].id].outcome == "dropped"
        assert "queue was full" in (log[stored[2].id].error or "")
        assert len(receiver.got) == 2
    finally:
        dispatcher.close()
        store.close()


def test_https_goes_to_the_checked_address_and_still_verifies_the_url_host(
    tmp_path: Path,
) -> None:
    """The delivery connects to the address it checked, not to a second DNS answer, yet the
    certificate is verified against the URL's host name (TLS server name from the URL)."""
    import datetime
    import ssl

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    from agentaudit.alerts.dispatcher import WebhookDispatcher
    from agentaudit.alerts.models import Outcome, WebhookIn
    from agentaudit.store.sqlite import SQLiteStore

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")])
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(1)
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName("localhost")]), critical=False)
        .sign(key, hashes.SHA256())
    )
    (tmp_path / "c.pem").write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    (tmp_path / "k.pem").write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    hosts: list[str] = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802
            hosts.append(self.headers["Host"])
            self.rfile.read(int(self.headers["content-length"]))
            self.send_response(204)
            self.end_headers()

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(tmp_path / "c.pem", tmp_path / "k.pem")
    server.socket = ctx.wrap_socket(server.socket, server_side=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    port = server.server_address[1]
    store = SQLiteStore(tmp_path / "tls.db")
    try:
        org = store.create_org("tls")
        trusted = ssl.create_default_context(cafile=str(tmp_path / "c.pem"))
        dispatcher = WebhookDispatcher(store, allow_private=True, verify=trusted)
        by_name = store.create_webhook(
            org.id,
            WebhookIn(url=f"https://localhost:{port}/h", events=["block"]),
            "whsec_t",  # type: ignore[list-item]
        )
        ok = dispatcher.send_test(org.id, by_name)
        assert ok.outcome == Outcome.DELIVERED and ok.http_status == 204
        assert hosts == [f"localhost:{port}"]
        by_address = store.create_webhook(
            org.id,
            WebhookIn(url=f"https://127.0.0.1:{port}/h", events=["block"]),
            "whsec_t",  # type: ignore[list-item]
        )
        refused = dispatcher.send_test(org.id, by_address)  # the certificate names localhost
        assert refused.outcome == Outcome.FAILED and "CERTIFICATE_VERIFY_FAILED" in (
            refused.error or ""
        )
        untrusted = WebhookDispatcher(store, allow_private=True).send_test(org.id, by_name)
        assert untrusted.outcome == Outcome.FAILED  # a self-signed certificate: not by default
        assert hosts == [f"localhost:{port}"]
    finally:
        server.shutdown()
        server.server_close()
        store.close()


def test_a_held_call_and_its_approval_alert(receiver: Receiver, tmp_path: Path) -> None:
    """`review` fires when a call is held, `approval` when a human decides it (with the
    approver's outcome event, never the call's arguments)."""
    with run_server(env=ALLOW, db_path=tmp_path / "srv.db") as srv:
        hook = add_hook(srv, receiver.url, ["review", "approval"])
        put = httpx.put(
            f"{srv.url}/v1/org/policy", json={"review_on": "high"}, headers=auth(srv.api_key)
        )
        assert put.status_code == 200, put.text
        held = post_event(
            srv,
            {
                "agent_id": "ops-bot",
                "action": "transfer_funds",
                "data": {"amount": 250.0, "currency": "EUR", "iban": "DE89370400440532013000"},
            },
        )
        assert held["decision"] == "review" and held["approval_id"]
        (first,) = receiver.wait_for(1)
        assert first.json()["triggers"] == ["review"]
        decided = httpx.post(
            f"{srv.url}/v1/approvals/{held['approval_id']}",
            json={"decision": "approve", "comment": "ok"},
            headers=auth(srv.api_key),
        )
        assert decided.status_code == 200, decided.text
        got = receiver.wait_for(2)
        doc = got[1].json()
        assert doc["triggers"] == ["approval"]
        assert doc["event"]["id"] == decided.json()["outcome_event_id"]
        assert "DE89370400440532013000" not in got[1].body.decode()
        check_signature(got[1], hook["secret"])
