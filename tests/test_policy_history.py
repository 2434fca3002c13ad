"""Policy history (issue 19 item 5): every policy change is a chained event naming who made it
with the old and new values, every event records the version of the policy that decided it,
the chain (and an export of it) verifies across changes, a tampered change is caught, an
invalid policy writes nothing; over REST, the CLI and the dashboard of real server processes,
on SQLite and PostgreSQL."""

from __future__ import annotations

import io
import json
import re
import sqlite3
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from typer.testing import CliRunner

from agentaudit.cli import app
from agentaudit.export import verify_export, write_export
from agentaudit.models import EventFilter, EventIn, EventKind, Policy, RiskLevel
from agentaudit.server.keys import key_prefix
from agentaudit.service import AuditService
from agentaudit.store import EventStore, open_store
from agentaudit.store.chain import CHAIN_VERSION, event_hash
from tests.support.live_server import run_server
from tests.test_store import empty_pg, pg_admin_url, pg_session_url, raw_sql, with_database

runner = CliRunner()
CSRF_INPUT = re.compile(r'name="csrf_token" value="([^"]+)"')
SEARCH = {"agent_id": "researcher", "action": "web_search", "data": {"query": "weather"}}
DELETE = {"agent_id": "ops", "action": "run_sql", "data": {"sql": "DELETE FROM t WHERE id = 1"}}


def auth(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}


# -- the store and the service (SQLite and PostgreSQL) -----------------------------------------
@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def target(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield str(tmp_path / "store.db")
    else:
        url = pg_session_url()
        empty_pg(url)
        yield url


@pytest.fixture
def service(target: str) -> Iterator[AuditService]:
    store = open_store(target)
    try:
        yield AuditService(store)
    finally:
        store.close()


def _org(service: AuditService) -> str:
    return service.store.ensure_org("acme").id


def _changes(store: EventStore, org: str) -> list[Any]:
    page = store.list_events(org, EventFilter(limit=200, order="asc"))
    return [e for e in page.events if e.kind == EventKind.POLICY_CHANGE]


def test_a_change_is_one_chained_event_with_actor_old_and_new(service: AuditService) -> None:
    org = _org(service)
    (before,) = service.record(org, [EventIn(**SEARCH)])
    assert before.policy_version == 0
    saved = service.update_policy(org, {"block_on": "high"}, source="api", actor="api key k1")
    assert saved.block_on == RiskLevel.HIGH
    (after,) = service.record(org, [EventIn(**SEARCH)])
    assert after.policy_version == 1
    assert service.store.get_event(org, after.id).policy_version == 1  # type: ignore[union-attr]
    (change,) = _changes(service.store, org)
    assert change.context == {"actor": "api key k1"} and change.policy_version == 1
    assert change.data["version"] == 1 and change.data["source"] == "api"
    assert change.data["old"]["block_on"] == "critical" and change.data["new"]["block_on"] == "high"
    assert change.data["changed"] == ["block_on"]
    assert "api key k1" in (change.reason or "")
    history = service.policy_history(org)
    assert history.current_version == 1 and history.total == 1
    (v1,) = history.versions
    assert (v1.version, v1.actor, v1.source, v1.event_id) == (1, "api key k1", "api", change.id)
    assert [(c.path, c.old, c.new) for c in v1.changed] == [("block_on", "critical", "high")]
    assert v1.old is not None and v1.old["block_on"] == "critical"
    assert v1.new["block_on"] == "high"
    zero = service.policy_version(org, 0)
    assert zero is not None and zero.new["block_on"] == "critical"
    assert service.policy_version(org, 2) is None
    result = service.verify(org)
    assert result.ok and result.checked == 3, result.describe()


def test_setting_the_policy_in_force_again_records_nothing(service: AuditService) -> None:
    org = _org(service)
    service.update_policy(org, {"block_on": "high"}, actor="a")
    service.update_policy(org, {"block_on": "high"}, actor="b")
    assert service.policy_history(org).total == 1 and len(_changes(service.store, org)) == 1


def test_an_invalid_policy_is_refused_and_writes_nothing(service: AuditService) -> None:
    org = _org(service)
    service.update_policy(org, {"block_on": "high"}, actor="a")
    head = service.store.verify(org).head_seq
    with pytest.raises(ValueError, match="retention_days"):
        service.update_policy(org, {"retention_days": 10}, actor="b")  # < 183 with the AI Act
    assert service.policy_history(org).total == 1
    assert service.store.verify(org).head_seq == head
    assert service.get_policy(org).retention_days is None


def test_history_pages_newest_first(service: AuditService) -> None:
    org = _org(service)
    for i in range(5):
        service.update_policy(org, {"money_critical_threshold": 1000 + i}, actor=f"u{i}")
    first = service.policy_history(org, limit=2)
    assert [v.version for v in first.versions] == [5, 4] and first.total == 5
    assert [v.version for v in service.policy_history(org, 2, 2).versions] == [3, 2]
    assert [v.version for v in service.policy_history(org, 2, 4).versions] == [1]
    assert service.policy_history(org, 2, 6).versions == []
    third = service.policy_version(org, 3)
    assert third is not None and third.actor == "u2"
    assert [(c.path, c.old, c.new) for c in third.changed] == [
        ("money_critical_threshold", 1001.0, 1002.0)
    ]
    seqs = [v.event_seq for v in service.policy_history(org, 10).versions]
    assert seqs == sorted(seqs, reverse=True) and all(s is not None for s in seqs)
    assert service.verify(org).ok


def test_an_export_across_changes_verifies(service: AuditService) -> None:
    org = _org(service)
    service.record(org, [EventIn(**SEARCH)])
    service.update_policy(org, {"review_on": "high"}, actor="a")
    service.record(org, [EventIn(**DELETE), EventIn(**SEARCH)])
    service.update_policy(org, {"frameworks": {"soc2": True}}, actor="b")
    service.record(org, [EventIn(**SEARCH)])
    out = io.StringIO()
    write_export(service.store, org, "acme", out)
    lines = [line.encode() + b"\n" for line in out.getvalue().splitlines()]
    check = verify_export(lines, [])
    assert check.ok, check.describe()
    events = [json.loads(line) for line in lines[1:]]
    assert [e["policy_version"] for e in events] == [0, 1, 1, 1, 2, 2]
    assert {e["chain_version"] for e in events} == {CHAIN_VERSION}
    # the policy version is evidence: changed in the file, the export no longer verifies
    forged = dict(events[1 + 1])
    forged["policy_version"] = 0
    lines[3] = (json.dumps(forged, sort_keys=True, separators=(",", ":")) + "\n").encode()
    bad = verify_export(lines, [])
    assert not bad.ok and bad.line == 4 and "hash mismatch" in bad.message  # 1-based


def _tamper(target: str, sql: str) -> None:
    raw_sql(target, sql)


def test_a_tampered_policy_change_is_detected(service: AuditService, target: str) -> None:
    org = _org(service)
    service.record(org, [EventIn(**SEARCH)])
    service.update_policy(org, {"block_on": "high"}, actor="api key k1")
    service.record(org, [EventIn(**SEARCH)])
    (change,) = _changes(service.store, org)
    assert service.verify(org).ok
    # who made it, rewritten behind the store's back
    _tamper(
        target,
        f"UPDATE events SET context = '{{\"actor\":\"someone else\"}}' WHERE id = '{change.id}'",
    )
    result = service.store.verify(org)
    assert not result.ok and result.broken_seq == 2 and "payload" in (result.error or "")


def test_a_tampered_policy_version_is_detected(service: AuditService, target: str) -> None:
    org = _org(service)
    service.update_policy(org, {"block_on": "high"}, actor="a")
    (call,) = service.record(org, [EventIn(**SEARCH)])
    _tamper(target, f"UPDATE events SET policy_version = 0 WHERE id = '{call.id}'")
    result = service.store.verify(org)
    assert not result.ok and result.broken_seq == 2 and "hash mismatch" in (result.error or "")


def test_rows_of_chain_version_2_still_verify(service: AuditService, target: str) -> None:
    """A row written before policy versions were kept (chain version 2, no policy_version)
    verifies as it was hashed: here the head row, rewritten as 0027's code wrote it."""
    org = _org(service)
    service.record(org, [EventIn(**SEARCH), EventIn(**SEARCH)])
    store = service.store
    (row,) = store.chain_rows(org, 1, 2)
    fields = {k: v for k, v in row.fields.items() if k != "policy_version"}
    fields["chain_version"] = 2
    h = event_hash(fields)
    _tamper(
        target,
        f"UPDATE events SET chain_version = 2, policy_version = NULL, hash = '{h}'"
        f" WHERE org_id = '{org}' AND seq = 2",
    )
    _tamper(target, f"UPDATE chain_heads SET hash = '{h}' WHERE org_id = '{org}'")
    assert store.verify(org).ok
    assert store.get_event(org, row.fields["id"]).policy_version is None  # type: ignore[union-attr]
    service.update_policy(org, {"block_on": "high"}, actor="a")  # chains on after it
    service.record(org, [EventIn(**SEARCH)])
    assert store.verify(org).ok


def test_the_migration_keeps_a_0027_policy_as_version_0(tmp_path: Path) -> None:
    """An organisation of a store at 0027 with a policy set then: upgraded, its policy is
    version 0, and the first change after it is version 1, whose old value is that policy."""
    from agentaudit.store.migrate import upgrade

    db = tmp_path / "old.db"
    upgrade(f"sqlite:///{db}", "0027")
    org = "01JAAAAAAAAAAAAAAAAAAAAAAA"
    with sqlite3.connect(db) as conn:
        assert "policy_version" not in {r[1] for r in conn.execute("PRAGMA table_info(orgs)")}
        conn.execute(
            "INSERT INTO orgs (id, name, created_at, policy, fingerprint_key)"
            " VALUES (?, 'acme', '2026-01-01T00:00:00.000Z', ?, ?)",
            (org, Policy(block_on="high").model_dump_json(), "ab" * 32),
        )
    store = open_store(str(db))  # upgrades to the head
    try:
        service = AuditService(store)
        (call,) = service.record(org, [EventIn(**SEARCH)])
        assert call.policy_version == 0
        assert service.policy_in_force(org) == (Policy(block_on="high"), 0)
        service.update_policy(org, {"block_on": "medium"}, actor="a")
        (v1,) = service.policy_history(org).versions
        assert v1.version == 1 and v1.old is not None and v1.old["block_on"] == "high"
        assert store.verify(org).ok
    finally:
        store.close()


# -- REST on a real server -------------------------------------------------------------------
@pytest.fixture
def pg_url() -> Iterator[str]:
    psycopg = pytest.importorskip("psycopg")
    name = f"aa_policy_history_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(pg_admin_url(), autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield with_database(pg_admin_url(), name)
    finally:
        with psycopg.connect(pg_admin_url(), autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def server(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Any]:
    if request.param == "sqlite":
        with run_server(db_path=tmp_path / "srv.db") as srv:
            yield srv
    else:
        yield from _pg_server(request.getfixturevalue("pg_url"))


def _pg_server(url: str) -> Iterator[Any]:
    with run_server(database_url=url) as srv:
        yield srv


def _key_actor(srv: Any, key: str) -> str:
    return f"api key {key_prefix(key)}"


def test_rest_change_history_versions_and_verify(server: Any) -> None:
    url, h = server.url, auth(server.api_key)
    first = httpx.post(f"{url}/v1/events", headers=h, json=SEARCH)
    assert first.status_code == 201 and first.json()["policy_version"] == 0
    r = httpx.put(f"{url}/v1/org/policy", headers=h, json={"block_on": "high"})
    assert r.status_code == 200, r.text
    second = httpx.post(f"{url}/v1/events", headers=h, json=SEARCH).json()
    assert second["policy_version"] == 1  # the change applies at once on this process
    batch = httpx.post(f"{url}/v1/events/batch", headers=h, json={"events": [SEARCH, SEARCH]})
    assert batch.status_code == 201, batch.text
    assert {e["policy_version"] for e in batch.json()["events"]} == {1}
    got = httpx.get(f"{url}/v1/events/{second['id']}", headers=h).json()
    assert got["policy_version"] == 1

    history = httpx.get(f"{url}/v1/policy/history", headers=h)
    assert history.status_code == 200, history.text
    body = history.json()
    assert body["current_version"] == 1 and body["total"] == 1
    (v1,) = body["versions"]
    assert v1["actor"].startswith(_key_actor(server, server.api_key) + " (id ")
    assert v1["source"] == "api" and v1["version"] == 1
    assert v1["old"]["block_on"] == "critical" and v1["new"]["block_on"] == "high"
    assert v1["changed"] == [{"path": "block_on", "old": "critical", "new": "high"}]
    events = httpx.get(f"{url}/v1/events", headers=h, params={"limit": 200}).json()["events"]
    changes = [e for e in events if e["kind"] == "policy_change"]
    assert len(changes) == 1 and changes[0]["id"] == v1["event_id"]
    assert changes[0]["context"]["actor"] == v1["actor"]
    assert changes[0]["data"]["old"] == v1["old"] and changes[0]["data"]["new"] == v1["new"]
    one = httpx.get(f"{url}/v1/policy/history/1", headers=h).json()
    assert one["event_seq"] == v1["event_seq"] == 2
    assert httpx.get(f"{url}/v1/policy/history/0", headers=h).json()["new"]["block_on"] == (
        "critical"
    )
    assert httpx.get(f"{url}/v1/policy/history/7", headers=h).status_code == 404
    assert httpx.get(f"{url}/v1/policy/history", params={"limit": 0}, headers=h).status_code == 422
    assert httpx.get(f"{url}/v1/policy/history").status_code == 401

    # an invalid policy: 422, nothing saved, no history, no event
    total = httpx.get(f"{url}/v1/events", headers=h).json()["total"]
    bad = httpx.put(f"{url}/v1/org/policy", headers=h, json={"block_on": "sometimes"})
    assert bad.status_code == 422
    bad = httpx.put(f"{url}/v1/org/policy", headers=h, json={"retention_days": 5})
    assert bad.status_code == 422
    assert httpx.get(f"{url}/v1/events", headers=h).json()["total"] == total
    assert httpx.get(f"{url}/v1/policy/history", headers=h).json()["total"] == 1
    assert httpx.get(f"{url}/v1/org/policy", headers=h).json()["block_on"] == "high"

    # paging over more changes
    for n in (2, 3, 4):
        r = httpx.put(f"{url}/v1/org/policy", headers=h, json={"money_critical_threshold": n})
        assert r.status_code == 200
    page = httpx.get(f"{url}/v1/policy/history", headers=h, params={"limit": 3}).json()
    assert [v["version"] for v in page["versions"]] == [4, 3, 2] and page["total"] == 4
    rest = httpx.get(f"{url}/v1/policy/history", headers=h, params={"limit": 3, "offset": 3})
    assert [v["version"] for v in rest.json()["versions"]] == [1]
    verified = httpx.get(f"{url}/v1/verify", headers=h).json()
    assert verified["ok"] is True, verified


def test_sdk_policy_history_remote_and_embedded(server: Any, tmp_path: Path) -> None:
    import asyncio

    from agentaudit import AgentAudit, AsyncAgentAudit

    with AgentAudit(api_key=server.api_key, base_url=server.url) as audit:
        audit.set_policy({"block_on": "high"})
        page = audit.policy_history()
        assert page.current_version == 1 and page.versions[0].actor is not None
        event = audit.log(**SEARCH)
        assert event is not None and event.policy_version == 1

    async def remote() -> None:
        async with AsyncAgentAudit(api_key=server.api_key, base_url=server.url) as audit:
            await audit.set_policy({"block_on": "medium"})
            page = await audit.policy_history(limit=1)
            assert [v.version for v in page.versions] == [2] and page.total == 2

    asyncio.run(remote())
    with AgentAudit(db_path=tmp_path / "e.db") as local:
        local.set_policy({"block_on": "high"})
        (v1,) = local.policy_history().versions
        assert v1.source == "embedded" and (v1.actor or "").startswith("embedded client")


# -- the CLI -----------------------------------------------------------------------------------
def test_cli_policy_set_records_the_local_user_and_history_shows_it(tmp_path: Path) -> None:
    db = tmp_path / "cli.db"
    patch = tmp_path / "p.json"
    patch.write_text(json.dumps({"block_on": "high", "blocked_actions": ["rm_*"]}))
    done = runner.invoke(app, ["policy", "set", "--file", str(patch), "--db", str(db)])
    assert done.exit_code == 0, done.output
    shown = runner.invoke(app, ["policy", "history", "--db", str(db), "--json"])
    assert shown.exit_code == 0, shown.output
    page = json.loads(shown.stdout)
    (v1,) = page["versions"]
    assert v1["source"] == "cli" and v1["actor"].startswith("cli: ")
    assert {c["path"] for c in v1["changed"]} == {"block_on", "blocked_actions"}
    text = runner.invoke(app, ["policy", "history", "--db", str(db)])
    assert "version 1" in text.output and "block_on" in text.output
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"block_on": "sometimes"}))
    refused = runner.invoke(app, ["policy", "set", "--file", str(bad), "--db", str(db)])
    assert refused.exit_code == 2
    again = json.loads(runner.invoke(app, ["policy", "history", "--db", str(db), "--json"]).stdout)
    assert again["total"] == 1
    verify = runner.invoke(app, ["verify", "--db", str(db)])
    assert verify.exit_code == 0, verify.output


def test_cli_policy_set_on_a_server_records_the_key(server: Any, tmp_path: Path) -> None:
    patch = tmp_path / "p.json"
    patch.write_text(json.dumps({"review_on": "high"}))
    args = ["--url", server.url, "--api-key", server.api_key]
    done = runner.invoke(app, ["policy", "set", "--file", str(patch), *args])
    assert done.exit_code == 0, done.output
    page = json.loads(runner.invoke(app, ["policy", "history", "--json", *args]).stdout)
    assert page["versions"][0]["actor"].startswith(_key_actor(server, server.api_key))


# -- the dashboard -----------------------------------------------------------------------------
def sign_in(url: str, key: str) -> httpx.Client:
    client = httpx.Client(base_url=url, follow_redirects=False, timeout=30)
    token = CSRF_INPUT.search(client.get("/dashboard/login").text).group(1)  # type: ignore[union-attr]
    r = client.post("/dashboard/login", data={"api_key": key, "csrf_token": token})
    assert r.status_code == 303, r.text
    return client


def csrf(client: httpx.Client, path: str = "/dashboard/policy") -> str:
    return CSRF_INPUT.search(client.get(path).text).group(1)  # type: ignore[union-attr]


POLICY_FORM = {  # every field of the page's form
    "block_on": "high",
    "blocked_actions": "",
    "allowed_actions": "",
    "money_critical_threshold": "10000",
    "overrides": "[]",
    "frameworks": ["gdpr", "ai_act"],
    "store_min_risk": "low",
    "store_secrets": "mask",
    "retention_days": "",
}


def test_dashboard_change_history_event_page_and_export(server: Any) -> None:
    url, key = server.url, server.api_key
    before = httpx.post(f"{url}/v1/events", headers=auth(key), json=SEARCH).json()
    client = sign_in(url, key)
    assert "version 0" in client.get("/dashboard/policy").text
    r = client.post("/dashboard/policy", data={**POLICY_FORM, "csrf_token": csrf(client)})
    assert r.status_code == 303, r.text
    # an invalid policy from the form: 422, nothing recorded
    bad = {**POLICY_FORM, "retention_days": "10", "csrf_token": csrf(client)}
    assert client.post("/dashboard/policy", data=bad).status_code == 422
    # without the CSRF token: refused, nothing recorded
    assert (
        client.post("/dashboard/policy", data={**POLICY_FORM, "block_on": "low"}).status_code == 403
    )
    history = httpx.get(f"{url}/v1/policy/history", headers=auth(key)).json()
    assert history["total"] == 1
    (v1,) = history["versions"]
    assert v1["source"] == "dashboard"
    assert v1["actor"].startswith(f"dashboard user, api key {key_prefix(key)} (id ")
    assert [c["path"] for c in v1["changed"]] == ["block_on"]

    page = client.get("/dashboard/policy/history")
    assert page.status_code == 200
    assert 'id="v1"' in page.text and "dashboard user" in page.text
    assert "<code>block_on</code>" in page.text and "&#34;critical&#34;" in page.text
    assert "version 1" in client.get("/dashboard/policy").text
    one = client.get("/dashboard/policy/history/1")
    assert one.status_code == 200 and f"/dashboard/events/{v1['event_id']}" in one.text
    assert client.get("/dashboard/policy/history/0").status_code == 200
    assert client.get("/dashboard/policy/history/9").status_code == 404
    assert client.get("/dashboard/policy/history/x").status_code == 404

    after = httpx.post(f"{url}/v1/events", headers=auth(key), json=SEARCH).json()
    assert after["policy_version"] == 1
    shown = client.get(f"/dashboard/events/{after['id']}").text
    assert 'href="/dashboard/policy/history/1" id="policy-version-link"' in shown
    shown = client.get(f"/dashboard/events/{before['id']}").text
    assert 'href="/dashboard/policy/history/0" id="policy-version-link"' in shown
    record = client.get(f"/dashboard/events/{v1['event_id']}").text
    assert 'id="policy-change-record"' in record and "dashboard user" in record

    # the timeline's export button downloads the verifiable export
    timeline = client.get("/dashboard/events").text
    assert 'action="/dashboard/export"' in timeline
    assert client.post("/dashboard/export", data={"csrf_token": "x" * 43}).status_code == 403
    token = CSRF_INPUT.search(timeline).group(1)  # type: ignore[union-attr]
    export = client.post("/dashboard/export", data={"csrf_token": token})
    assert export.status_code == 200, export.text
    assert "attachment" in export.headers["content-disposition"]
    lines = export.content.splitlines(keepends=True)
    check = verify_export(lines, [])
    assert check.ok, check.describe()
    kinds = [json.loads(line)["kind"] for line in lines[1:] if b'"type":"event"' in line]
    assert kinds == ["call", "policy_change", "call"]
    signed_out = httpx.post(f"{url}/dashboard/export", data={"csrf_token": token})
    assert signed_out.status_code == 303

    # with the timeline's filters: the events they match, and the chain between them
    httpx.post(f"{url}/v1/events", headers=auth(key), json=DELETE)
    filtered = client.get("/dashboard/events", params={"agent": "researcher"}).text
    assert 'name="agent" value="researcher"' in filtered and "Export these events" in filtered
    export = client.post("/dashboard/export", data={"csrf_token": token, "agent": "researcher"})
    assert export.status_code == 200, export.text
    lines = export.content.splitlines(keepends=True)
    header = json.loads(lines[0])
    assert header["selection"] == {"filters": {"agent_id": "researcher"}, "seqs": [1, 3]}
    assert header["last_seq"] == 3  # the DELETE (seq 4) is not in it
    check = verify_export(lines, [])
    assert check.ok and "2 selected by agent_id=researcher" in check.message, check.describe()
    nothing = client.post("/dashboard/export", data={"csrf_token": token, "agent": "nobody"})
    assert nothing.status_code == 404 and "no event matches the filters" in nothing.text
    bad = client.post("/dashboard/export", data={"csrf_token": token, "risk": "severe"})
    assert bad.status_code == 422 and "risk must be one of" in bad.text


def test_concurrent_changes_get_consecutive_versions(service: AuditService) -> None:
    """Changes at once (threads here; processes share the same locks): each is the next
    version, and each one's old value is the policy the one before it set."""
    from concurrent.futures import ThreadPoolExecutor

    org = _org(service)

    def change(i: int) -> Policy:
        return service.store.set_policy(
            org, Policy(money_critical_threshold=100 + i), actor=f"u{i}"
        )

    with ThreadPoolExecutor(4) as pool:
        list(pool.map(change, range(8)))
    versions = sorted(service.policy_history(org, 20).versions, key=lambda v: v.version)
    assert [v.version for v in versions] == list(range(1, 9))
    for before, after in zip(versions, versions[1:], strict=False):
        assert after.old == before.new
    assert service.policy_in_force(org)[1] == 8
    assert service.verify(org).ok


def test_the_history_shows_what_the_chain_says(service: AuditService, target: str) -> None:
    """The history's rows are an index: a row rewritten behind the store's back does not change
    who or what the history shows (its chained event does, and `verify` checks that)."""
    org = _org(service)
    service.update_policy(org, {"block_on": "high"}, actor="api key k1")
    _tamper(
        target,
        "UPDATE policy_changes SET actor = 'someone else', policy = '{\"block_on\": \"low\"}'",
    )
    (v1,) = service.policy_history(org).versions
    assert v1.actor == "api key k1" and v1.new["block_on"] == "high"
    one = service.policy_version(org, 1)
    assert one is not None and one.actor == "api key k1"
    assert service.verify(org).ok
