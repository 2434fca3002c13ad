"""Human approval (issue 21 part 1): the `review` decision, approval requests, their chained
outcome, over REST (one server, and two on one PostgreSQL store) and through the SDK."""

from __future__ import annotations

import asyncio
import os
import threading
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from agentaudit import AgentAudit, AsyncAgentAudit, approval_matches, decide
from agentaudit.approvals import ApprovalClosed, ApprovalState, approval_digest
from agentaudit.errors import ConflictError, InvalidInputError, NotFoundError
from agentaudit.models import (
    Classification,
    Decision,
    EventIn,
    Policy,
    RiskLevel,
    RuleMatch,
)
from tests.support.live_server import run_server

PG_ADMIN_URL = (
    os.environ.get("AGENTAUDIT_TEST_DATABASE_URL") or "postgresql://postgres@127.0.0.1:5432/test"
)
DELETE = {
    "agent_id": "ops-bot",
    "action": "run_sql",
    "data": {"sql": "DELETE FROM orders WHERE id = 7"},
}
SEARCH = {"agent_id": "researcher", "action": "web_search", "data": {"query": "weather"}}
WAIT = 30.0  # the longest a test waits for a state it expects (never asserted as a time)


def auth(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}


def classification(level: RiskLevel, *rules: str) -> Classification:
    return Classification(
        risk_level=level,
        pii_detected=False,
        matches=[RuleMatch(rule=r, level=level, evidence="x") for r in rules],
    )


class Call:
    def __init__(self, action: str) -> None:
        self.action = action


# -- policy: precedence ----------------------------------------------------------------------
def test_review_on_holds_calls_at_or_above_the_level_and_never_by_default() -> None:
    high = classification(RiskLevel.HIGH, "sql.delete")
    assert decide(high, Call("run_sql"), Policy()).decision == Decision.ALLOW
    held = decide(high, Call("run_sql"), Policy(review_on=RiskLevel.HIGH))
    assert held.decision == Decision.REVIEW
    assert held.rule == "sql.delete" and "review_on high" in (held.reason or "")
    medium = classification(RiskLevel.MEDIUM)
    assert decide(medium, Call("run_sql"), Policy(review_on="high")).decision == Decision.ALLOW


def test_block_wins_over_review() -> None:
    critical = classification(RiskLevel.CRITICAL, "sql.drop")
    policy = Policy(review_on=RiskLevel.LOW, review_actions=["run_*"])
    assert decide(critical, Call("run_sql"), policy).decision == Decision.BLOCK
    listed = Policy(blocked_actions=["run_sql"], review_actions=["run_sql"])
    low = classification(RiskLevel.LOW)
    assert decide(low, Call("run_sql"), listed).decision == Decision.BLOCK


def test_allowed_actions_exempt_from_review_on_but_not_from_review_actions() -> None:
    high = classification(RiskLevel.HIGH, "sql.delete")
    exempt = Policy(review_on=RiskLevel.MEDIUM, allowed_actions=["run_sql"])
    assert decide(high, Call("run_sql"), exempt).decision == Decision.ALLOW
    named = Policy(review_actions=["RUN_*"], allowed_actions=["run_sql"])
    held = decide(classification(RiskLevel.LOW), Call("run_sql"), named)
    assert held.decision == Decision.REVIEW and held.rule == "policy.review_actions"


def test_review_actions_match_rule_ids_too() -> None:
    policy = Policy(review_actions=["sql.delete*"])
    held = decide(classification(RiskLevel.MEDIUM, "sql.delete_all"), Call("x"), policy)
    assert held.decision == Decision.REVIEW and "sql.delete_all" in (held.reason or "")
    other = decide(classification(RiskLevel.MEDIUM, "sql.update"), Call("x"), policy)
    assert other.decision == Decision.ALLOW


def test_policy_validates_the_new_fields() -> None:
    with pytest.raises(ValueError, match="approval_ttl_seconds"):
        Policy(approval_ttl_seconds=0)
    with pytest.raises(ValueError, match="review_on"):
        Policy(review_on="sometimes")  # type: ignore[arg-type]
    assert Policy().approval_ttl_seconds == 900 and Policy().review_on is None


def test_approval_matches_only_the_exact_call() -> None:
    digest = approval_digest("a", "pay", {"to": "x", "amount": 5})
    approval = {"digest": digest}
    assert approval_matches(approval, "a", "pay", {"amount": 5, "to": "x"})  # key order: same
    assert not approval_matches(approval, "a", "pay", {"to": "x", "amount": 500})
    assert not approval_matches(approval, "b", "pay", {"to": "x", "amount": 5})


# -- the embedded client and the store --------------------------------------------------------
def test_embedded_review_pending_approve_chain_and_wait(tmp_path: Path) -> None:
    with AgentAudit(db_path=tmp_path / "a.db") as audit:
        audit.set_policy({"review_on": "medium"})
        event = audit.log(**DELETE)
        assert event is not None and event.decision == Decision.REVIEW and event.approval_id
        assert event.stored and "art_14" in event.frameworks.get("ai_act", [])
        again = audit.get_event(event.id)
        assert again.approval_id == event.approval_id
        pending = audit.get_approval(event)
        assert pending.state == ApprovalState.PENDING and pending.event_id == event.id
        assert [a.id for a in audit.list_approvals("pending")] == [event.approval_id]
        with pytest.raises(InvalidInputError):
            audit.list_approvals("waiting")
        assert approval_matches(pending, DELETE["agent_id"], DELETE["action"], DELETE["data"])

        def approve() -> None:
            with AgentAudit(db_path=tmp_path / "a.db") as other:
                other.decide_approval(event.approval_id or "", "approve", "looks fine")

        worker = threading.Thread(target=approve)
        worker.start()
        final = audit.wait_for_approval(event, timeout=WAIT, poll=0.05)
        worker.join()
        assert final.state == ApprovalState.APPROVED and final.comment == "looks fine"
        assert final.approver is not None and final.approver.startswith("embedded client")
        with pytest.raises(ConflictError):
            audit.decide_approval(event, "deny")
        with pytest.raises(NotFoundError):
            audit.get_approval("01NOSUCHAPPROVAL0000000000")
        outcome = audit.get_event(final.outcome_event_id or "")
        assert outcome.kind == "approval" and outcome.action == "approve_call"
        assert outcome.data["approval_id"] == event.approval_id
        assert outcome.context["actor"] == final.approver
        assert audit.verify().ok


def test_sqlite_store_decides_once_and_expired_reads_as_denied(tmp_path: Path) -> None:
    from agentaudit.service import AuditService
    from agentaudit.store.sqlite import SQLiteStore

    store = SQLiteStore(tmp_path / "s.db")
    try:
        service = AuditService(store)
        org = store.ensure_org("o").id
        service.update_policy(org, {"review_actions": ["run_sql"], "approval_ttl_seconds": 1})
        event = service.record(org, [EventIn(**DELETE)])[0]
        assert event.approval_id is not None
        approval_id = event.approval_id
        deadline = time.monotonic() + WAIT
        while store.get_approval(org, approval_id).state == ApprovalState.PENDING:  # type: ignore[union-attr]
            assert time.monotonic() < deadline, "the request never expired"
            time.sleep(0.1)
        expired = store.get_approval(org, approval_id)
        assert (
            expired is not None and expired.state == ApprovalState.EXPIRED and not expired.approved
        )
        with pytest.raises(ApprovalClosed, match="expired"):
            store.decide_approval(org, approval_id, "approve", "late")
        assert [a.id for a in store.list_approvals(org, ApprovalState.EXPIRED)] == [approval_id]
        assert store.list_approvals(org, ApprovalState.PENDING) == []
        # the call and the policy change: the refused decision chained nothing
        assert store.verify(org).ok and store.verify(org).checked == 2
    finally:
        store.close()


# -- REST on a real server --------------------------------------------------------------------
@pytest.fixture
def server(tmp_path: Path) -> Iterator[Any]:
    with run_server(db_path=tmp_path / "srv.db") as srv:
        yield srv


def _hold(url: str, key: str, body: dict[str, Any] | None = None) -> dict[str, Any]:
    r = httpx.post(f"{url}/v1/events", headers=auth(key), json=body or DELETE)
    assert r.status_code == 201, r.text
    event = r.json()
    assert event["decision"] == "review" and event["approval_id"], event
    return event


def test_rest_review_approve_deny_and_conflicts(server: Any) -> None:
    url, h = server.url, auth(server.api_key)
    r = httpx.put(f"{url}/v1/org/policy", headers=h, json={"review_on": "medium"})
    assert r.status_code == 200 and r.json()["review_on"] == "medium"
    event = _hold(url, server.api_key)  # the fast path
    assert event["reason"].startswith("risk ") and "review_on medium" in event["reason"]
    first = httpx.get(f"{url}/v1/approvals/{event['approval_id']}", headers=h).json()
    assert first["state"] == "pending" and first["event_id"] == event["id"]
    assert first["digest"] == approval_digest(DELETE["agent_id"], DELETE["action"], DELETE["data"])
    assert first["decision"] is None and first["expires_at"] > first["created_at"]
    listed = httpx.get(f"{url}/v1/approvals", headers=h, params={"state": "pending"}).json()
    assert [a["id"] for a in listed["approvals"]] == [event["approval_id"]]
    stored = httpx.get(f"{url}/v1/events/{event['id']}", headers=h).json()
    assert stored["decision"] == "review" and stored["approval_id"] == event["approval_id"]
    page = httpx.get(f"{url}/v1/events", headers=h, params={"decision": "review"}).json()
    assert [e["approval_id"] for e in page["events"]] == [event["approval_id"]]

    r = httpx.post(
        f"{url}/v1/approvals/{event['approval_id']}",
        headers=h,
        json={"decision": "approve", "comment": "checked with the DBA"},
    )
    assert r.status_code == 200, r.text
    done = r.json()
    assert done["state"] == "approved" and done["decision"] == "approve"
    assert done["approver"].startswith("api key aa_live_") and done["outcome_event_id"]
    again = httpx.post(
        f"{url}/v1/approvals/{event['approval_id']}", headers=h, json={"decision": "deny"}
    )
    assert again.status_code == 409 and "already decided" in again.json()["detail"]
    outcome = httpx.get(f"{url}/v1/events/{done['outcome_event_id']}", headers=h).json()
    assert outcome["kind"] == "approval" and outcome["decision"] == "allow"
    assert outcome["context"]["actor"] == done["approver"]
    assert outcome["data"]["comment"] == "checked with the DBA"
    assert outcome["data"]["event_id"] == event["id"]

    # the batch route holds calls too; a denial is chained as a block
    r = httpx.post(f"{url}/v1/events/batch", headers=h, json={"events": [SEARCH, DELETE]})
    assert r.status_code == 201
    allowed, held = r.json()["events"]
    assert allowed["decision"] == "allow" and allowed["approval_id"] is None
    assert held["decision"] == "review" and held["approval_id"]
    r = httpx.post(
        f"{url}/v1/approvals/{held['approval_id']}", headers=h, json={"decision": "deny"}
    )
    assert r.status_code == 200 and r.json()["state"] == "denied"
    denial = httpx.get(f"{url}/v1/events/{r.json()['outcome_event_id']}", headers=h).json()
    assert denial["decision"] == "block" and denial["action"] == "deny_call"
    decided = httpx.get(f"{url}/v1/approvals", headers=h).json()["approvals"]
    assert {a["state"] for a in decided} == {"approved", "denied"}

    verify = httpx.get(f"{url}/v1/verify", headers=h).json()
    # 3 calls, 2 outcomes, the policy change
    assert verify["ok"] is True and verify["checked"] == 6
    stats = httpx.get(f"{url}/v1/events/stats", headers=h).json()
    # the records count as events: the approval (allow), the denial (block), the policy change
    assert stats["by_decision"] == {"review": 2, "allow": 3, "block": 1}


def test_rest_errors_404_422_and_other_orgs(server: Any) -> None:
    url, h = server.url, auth(server.api_key)
    httpx.put(f"{url}/v1/org/policy", headers=h, json={"review_actions": ["run_sql"]})
    event = _hold(url, server.api_key)
    approval = f"{url}/v1/approvals/{event['approval_id']}"
    other = auth(server.new_key(org="other"))
    assert httpx.get(approval, headers=other).status_code == 404
    r = httpx.post(approval, headers=other, json={"decision": "approve"})
    assert r.status_code == 404
    assert httpx.get(f"{url}/v1/approvals", headers=other).json()["approvals"] == []
    unknown = httpx.post(f"{url}/v1/approvals/01NOSUCH", headers=h, json={"decision": "deny"})
    assert unknown.status_code == 404
    bad = httpx.post(approval, headers=h, json={"decision": "maybe"})
    assert bad.status_code == 422 and bad.json()["detail"][0]["loc"] == ["body", "decision"]
    extra = httpx.post(approval, headers=h, json={"decision": "deny", "by": "me"})
    assert extra.status_code == 422 and extra.json()["detail"][0]["loc"] == ["body", "by"]
    r = httpx.get(f"{url}/v1/approvals", headers=h, params={"state": "waiting"})
    assert r.status_code == 422
    assert httpx.get(approval).status_code == 401
    assert httpx.get(approval, headers=h).json()["state"] == "pending"  # nothing decided it


def test_rest_approvers_limit_who_may_decide(server: Any) -> None:
    url, h = server.url, auth(server.api_key)
    second = server.new_key(org="test")
    prefix = server.api_key[: len("aa_live_") + 8]
    r = httpx.put(
        f"{url}/v1/org/policy",
        headers=h,
        json={"review_actions": ["run_sql"], "approvers": [prefix]},
    )
    assert r.status_code == 200
    event = _hold(url, second)
    approval = f"{url}/v1/approvals/{event['approval_id']}"
    refused = httpx.post(approval, headers=auth(second), json={"decision": "approve"})
    assert refused.status_code == 403
    ok = httpx.post(approval, headers=h, json={"decision": "approve"})
    assert ok.status_code == 200 and ok.json()["approver"].startswith(f"api key {prefix}")


def test_rest_expired_request_cannot_be_decided(server: Any) -> None:
    url, h = server.url, auth(server.api_key)
    policy = {"review_actions": ["run_sql"], "approval_ttl_seconds": 1}
    assert httpx.put(f"{url}/v1/org/policy", headers=h, json=policy).status_code == 200
    event = _hold(url, server.api_key)
    approval = f"{url}/v1/approvals/{event['approval_id']}"
    deadline = time.monotonic() + WAIT
    while httpx.get(approval, headers=h).json()["state"] == "pending":
        assert time.monotonic() < deadline, "the request never expired"
        time.sleep(0.1)
    assert httpx.get(approval, headers=h).json()["state"] == "expired"
    late = httpx.post(approval, headers=h, json={"decision": "approve"})
    assert late.status_code == 409 and "expired" in late.json()["detail"]
    # the call and the policy change
    assert httpx.get(f"{url}/v1/verify", headers=h).json()["checked"] == 2


def test_sdk_remote_wait_for_approval_sync_and_async(server: Any) -> None:
    with AgentAudit(api_key=server.api_key, base_url=server.url) as audit:
        audit.set_policy({"review_actions": ["run_sql"]})
        event = audit.log(**DELETE)
        assert event is not None and event.decision == "review" and event.approval_id

        def approve() -> None:
            with AgentAudit(api_key=server.api_key, base_url=server.url) as other:
                other.decide_approval(event.approval_id or "", "approve", "ok")

        worker = threading.Thread(target=approve)
        worker.start()
        final = audit.wait_for_approval(event, timeout=WAIT, poll=0.05)
        worker.join()
        assert final.approved and final.comment == "ok"
        with pytest.raises(ConflictError):
            audit.decide_approval(event, "deny")
        # a wait that ends before anyone decides returns the request still pending
        pending = audit.log(**DELETE)
        assert pending is not None
        still = audit.wait_for_approval(pending, timeout=0, poll=0.01)
        assert still.state == "pending" and not still.approved
        queue = audit.list_approvals("pending")
        assert [a.id for a in queue] == [pending.approval_id]
        assert {a.state for a in audit.list_approvals()} == {"pending", "approved"}

    async def run() -> None:
        async with AsyncAgentAudit(api_key=server.api_key, base_url=server.url) as audit:
            event = await audit.log(**DELETE)
            assert event is not None and event.approval_id

            async def deny() -> None:
                await asyncio.sleep(0.05)
                await audit.decide_approval(event.approval_id or "", "deny", "no")

            task = asyncio.create_task(deny())
            final = await audit.wait_for_approval(event, timeout=WAIT, poll=0.05)
            await task
            assert final.state == "denied" and not final.approved
            assert (await audit.verify()).ok

    asyncio.run(run())


# -- two server processes on one PostgreSQL store ---------------------------------------------
@pytest.fixture
def pg_url() -> Iterator[str]:
    psycopg = pytest.importorskip("psycopg")
    name = f"aa_approvals_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    base, _, _ = PG_ADMIN_URL.rpartition("/")
    try:
        yield f"{base}/{name}"
    finally:
        with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.mark.postgres
def test_two_servers_on_postgres_share_approvals(pg_url: str) -> None:
    with run_server(database_url=pg_url) as one, run_server(database_url=pg_url) as two:
        h1, h2 = auth(one.api_key), auth(two.api_key)  # two keys of the same organisation
        policy = {"review_on": "medium"}
        assert httpx.put(f"{one.url}/v1/org/policy", headers=h1, json=policy).status_code == 200
        deadline = time.monotonic() + WAIT
        while True:  # the other process re-reads the policy within a second
            r = httpx.post(f"{two.url}/v1/events", headers=h2, json=DELETE)
            assert r.status_code == 201, r.text
            event = r.json()
            if event["decision"] == "review":
                break
            assert time.monotonic() < deadline, "the second server never saw the policy"
            time.sleep(0.2)
        on_one = f"{one.url}/v1/approvals/{event['approval_id']}"
        on_two = f"{two.url}/v1/approvals/{event['approval_id']}"
        assert httpx.get(on_one, headers=h1).json()["state"] == "pending"
        r = httpx.post(on_one, headers=h1, json={"decision": "approve", "comment": "go"})
        assert r.status_code == 200
        seen = httpx.get(on_two, headers=h2).json()
        assert seen["state"] == "approved" and seen["comment"] == "go"
        assert httpx.post(on_two, headers=h2, json={"decision": "deny"}).status_code == 409
        for url, h in ((one.url, h1), (two.url, h2)):
            verify = httpx.get(f"{url}/v1/verify", headers=h).json()
            assert verify["ok"] is True
        outcome = httpx.get(f"{two.url}/v1/events/{seen['outcome_event_id']}", headers=h2)
        assert outcome.json()["kind"] == "approval"


@pytest.mark.postgres
def test_postgres_store_decides_once_under_concurrency(pg_url: str) -> None:
    from concurrent.futures import ThreadPoolExecutor

    from agentaudit.service import AuditService
    from agentaudit.store.postgres import PostgresStore

    store = PostgresStore(pg_url)
    try:
        service = AuditService(store)
        org = store.ensure_org("o").id
        service.update_policy(org, {"review_actions": ["run_sql"]})
        event = service.record(org, [EventIn(**DELETE)], ["k-1"])[0]
        replay = service.record(org, [EventIn(**DELETE)], ["k-1"])[0]
        assert replay.id == event.id and replay.approval_id == event.approval_id

        def try_decide(i: int) -> str:
            try:
                store.decide_approval(org, event.approval_id or "", "approve", f"user {i}")
                return "ok"
            except ApprovalClosed:
                return "closed"

        with ThreadPoolExecutor(4) as pool:
            results = sorted(pool.map(try_decide, range(4)))
        assert results == ["closed", "closed", "closed", "ok"]
        # the call, one outcome, the policy change
        assert store.verify(org).ok and store.verify(org).checked == 3
    finally:
        store.close()
