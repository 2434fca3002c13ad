"""The dashboard's approval queue (issue 21 item 1) on a real `agentaudit serve` process: a held
call appears with its classification, a signed-in user approves or denies it with the session's
CSRF token, the chained outcome names the dashboard user, a second decision gets a message, and
the policy's `approvers` applies to dashboard users as to keys."""

from __future__ import annotations

import html
import re
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests import test_webhooks
from tests.support.live_server import run_server
from tests.test_webhooks import ALLOW, Receiver, add_hook, check_signature

CSRF_INPUT = re.compile(r'name="csrf_token" value="([^"]+)"')
DELETE = {
    "agent_id": "ops-bot",
    "action": "run_sql",
    "data": {"sql": "DELETE FROM orders WHERE id = 7", "note": "mail ann@example.com"},
}
AWS_KEY = "AKIAIOSFODNN7EXAMPL3"
receiver = test_webhooks.receiver  # the real local HTTP receiver fixture
WAIT = 30.0  # the longest a test waits for a state it expects (never asserted as a time)


def auth(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}


def sign_in(url: str, key: str) -> httpx.Client:
    client = httpx.Client(base_url=url, follow_redirects=False, timeout=30)
    token = CSRF_INPUT.search(client.get("/dashboard/login").text).group(1)  # type: ignore[union-attr]
    r = client.post("/dashboard/login", data={"api_key": key, "csrf_token": token})
    assert r.status_code == 303, r.text
    return client


def csrf(client: httpx.Client) -> str:
    page = client.get("/dashboard/approvals")
    return CSRF_INPUT.search(page.text).group(1)  # type: ignore[union-attr]


def hold(srv: Any, body: dict[str, Any] | None = None) -> dict[str, Any]:
    r = httpx.post(f"{srv.url}/v1/events", headers=auth(srv.api_key), json=body or DELETE)
    assert r.status_code == 201, r.text
    event = r.json()
    assert event["decision"] == "review" and event["approval_id"], event
    return event


def row(page: str, approval_id: str) -> str:
    """The queue's table row of one request."""
    found = re.search(
        rf'<tr class="approval pending" id="approval-{approval_id}">(.*?)</tr>', page, re.S
    )
    assert found is not None, f"request {approval_id} not in the queue"
    return found.group(1)


@pytest.fixture
def srv(tmp_path: Path) -> Iterator[Any]:
    with run_server(db_path=tmp_path / "srv.db") as server:
        r = httpx.put(
            f"{server.url}/v1/org/policy",
            headers=auth(server.api_key),
            json={"review_actions": ["run_sql"]},
        )
        assert r.status_code == 200, r.text
        yield server


def test_held_call_is_queued_with_its_classification_and_approved(srv: Any) -> None:
    client = sign_in(srv.url, srv.api_key)
    older = hold(srv)
    event = hold(srv, {**DELETE, "data": {**DELETE["data"], "token": AWS_KEY}})
    page = client.get("/dashboard/approvals")
    assert page.status_code == 200
    assert 'href="/dashboard/approvals" aria-current="page"' in page.text  # in the navigation
    queue = page.text.split('id="approval-queue"', 1)[1].split("</table>", 1)[0]
    assert queue.index(event["approval_id"]) < queue.index(older["approval_id"])  # newest first
    mine = row(page.text, event["approval_id"])
    assert "run_sql" in mine and "ops-bot" in mine
    assert f'href="/dashboard/events/{event["id"]}"' in mine
    assert f"risk-{event['risk_level']}" in mine
    assert "email" in mine and "access_token" in mine  # PII and secret types
    assert AWS_KEY not in page.text  # never a secret value
    assert re.search(r'class="countdown">expires in (\d+ min ?)?(\d+ s)?<', mine)
    assert 'value="approve"' in mine and 'value="deny"' in mine
    prefix = srv.api_key[: len("aa_live_") + 8]
    assert f"dashboard user, api key {prefix}" in page.text

    held = client.get(f"/dashboard/events/{event['id']}").text
    assert 'id="approval-state">pending<' in held and 'id="approval-queue-link"' in held

    token = csrf(client)
    r = client.post(
        f"/dashboard/approvals/{event['approval_id']}",
        data={"decision": "approve", "comment": "checked with the DBA", "csrf_token": token},
    )
    assert r.status_code == 303 and r.headers["location"].endswith(f"?done={event['approval_id']}")
    after = client.get(r.headers["location"])
    assert 'id="approvals-notice"' in after.text and "approved by dashboard user" in after.text
    assert f'id="approval-{event["approval_id"]}"' not in after.text  # left the queue
    decided = after.text.split('id="approvals-decided"', 1)[1]
    assert f'id="decided-{event["approval_id"]}"' in decided and "checked with the DBA" in decided

    h = auth(srv.api_key)
    approval = httpx.get(f"{srv.url}/v1/approvals/{event['approval_id']}", headers=h).json()
    assert approval["state"] == "approved" and approval["decision"] == "approve"
    assert approval["approver"].startswith(f"dashboard user, api key {prefix} (id ")
    outcome = httpx.get(f"{srv.url}/v1/events/{approval['outcome_event_id']}", headers=h).json()
    assert outcome["kind"] == "approval" and outcome["decision"] == "allow"
    assert outcome["context"]["actor"] == approval["approver"]
    assert outcome["data"]["comment"] == "checked with the DBA"
    verify = httpx.get(f"{srv.url}/v1/verify", headers=h).json()
    assert (
        verify["ok"] is True and verify["checked"] == 4
    )  # two held calls, one outcome, the policy

    held = client.get(f"/dashboard/events/{event['id']}").text
    assert 'id="approval-state">approved<' in held
    assert html.escape(approval["approver"]) in held and "checked with the DBA" in held
    record = client.get(f"/dashboard/events/{approval['outcome_event_id']}").text
    assert 'id="approval-record"' in record and event["id"] in record


def test_deny_then_deciding_twice_shows_a_message(srv: Any) -> None:
    client = sign_in(srv.url, srv.api_key)
    event = hold(srv)
    token = csrf(client)
    target = f"/dashboard/approvals/{event['approval_id']}"
    r = client.post(target, data={"decision": "deny", "csrf_token": token})
    assert r.status_code == 303
    h = auth(srv.api_key)
    approval = httpx.get(f"{srv.url}/v1/approvals/{event['approval_id']}", headers=h).json()
    assert approval["state"] == "denied" and approval["comment"] is None
    outcome = httpx.get(f"{srv.url}/v1/events/{approval['outcome_event_id']}", headers=h).json()
    assert outcome["decision"] == "block" and outcome["action"] == "deny_call"
    assert outcome["context"]["actor"].startswith("dashboard user, api key ")

    again = client.post(target, data={"decision": "approve", "csrf_token": token})
    assert again.status_code == 409
    assert "already denied by dashboard user" in again.text and 'id="approval-errors"' in again.text
    assert (
        httpx.get(f"{srv.url}/v1/approvals/{event['approval_id']}", headers=h).json()["state"]
        == "denied"
    )  # unchanged
    unknown = client.post(
        "/dashboard/approvals/01NOSUCH", data={"decision": "deny", "csrf_token": token}
    )
    assert unknown.status_code == 404 and "No approval request" in unknown.text
    fresh = hold(srv)
    long = client.post(
        f"/dashboard/approvals/{fresh['approval_id']}",
        data={"decision": "deny", "comment": "x" * 5000, "csrf_token": token},
    )
    assert long.status_code == 422 and "comment" in long.text
    assert f'id="approval-{fresh["approval_id"]}"' in long.text  # still pending, in the queue
    bad = client.post(target, data={"decision": "maybe", "csrf_token": token})
    assert bad.status_code == 422 and "decision" in bad.text
    assert httpx.get(f"{srv.url}/v1/verify", headers=h).json()["ok"] is True


def test_missing_or_wrong_csrf_token_is_refused(srv: Any) -> None:
    client = sign_in(srv.url, srv.api_key)
    event = hold(srv)
    target = f"/dashboard/approvals/{event['approval_id']}"
    assert client.post(target, data={"decision": "approve"}).status_code == 403
    assert (
        client.post(target, data={"decision": "approve", "csrf_token": "x" * 43}).status_code == 403
    )
    signed_out = httpx.post(f"{srv.url}{target}", data={"decision": "approve", "csrf_token": "x"})
    assert signed_out.status_code == 303 and "/dashboard/login" in signed_out.headers["location"]
    state = httpx.get(f"{srv.url}/v1/approvals/{event['approval_id']}", headers=auth(srv.api_key))
    assert state.json()["state"] == "pending"  # nothing decided it


def test_expired_request_shows_a_message(srv: Any) -> None:
    h = auth(srv.api_key)
    policy = {"approval_ttl_seconds": 1}
    assert httpx.put(f"{srv.url}/v1/org/policy", headers=h, json=policy).status_code == 200
    client = sign_in(srv.url, srv.api_key)
    event = hold(srv)
    token = csrf(client)
    url = f"{srv.url}/v1/approvals/{event['approval_id']}"
    deadline = time.monotonic() + WAIT
    while httpx.get(url, headers=h).json()["state"] == "pending":
        assert time.monotonic() < deadline, "the request never expired"
        time.sleep(0.1)
    r = client.post(
        f"/dashboard/approvals/{event['approval_id']}",
        data={"decision": "approve", "csrf_token": token},
    )
    assert r.status_code == 409 and "expired" in r.text and "can no longer be decided" in r.text
    page = client.get("/dashboard/approvals").text
    assert f'id="decided-{event["approval_id"]}"' in page and ">expired<" in page
    assert f'id="approval-{event["approval_id"]}"' not in page  # no longer in the queue
    assert 'id="approval-state">expired<' in client.get(f"/dashboard/events/{event['id']}").text


def test_policy_approvers_limit_dashboard_users_too(srv: Any) -> None:
    h = auth(srv.api_key)
    second = srv.new_key(org="test")
    prefix = srv.api_key[: len("aa_live_") + 8]
    assert (
        httpx.put(f"{srv.url}/v1/org/policy", headers=h, json={"approvers": [prefix]}).status_code
        == 200
    )
    event = hold(srv)
    other = sign_in(srv.url, second)
    page = other.get("/dashboard/approvals").text
    assert 'id="approver-refused"' in page and 'value="approve"' not in row(
        page, event["approval_id"]
    )
    r = other.post(
        f"/dashboard/approvals/{event['approval_id']}",
        data={"decision": "approve", "csrf_token": CSRF_INPUT.search(page).group(1)},  # type: ignore[union-attr]
    )
    assert r.status_code == 403 and "may not decide approvals" in r.text
    assert (
        httpx.get(f"{srv.url}/v1/approvals/{event['approval_id']}", headers=h).json()["state"]
        == "pending"
    )
    allowed = sign_in(srv.url, srv.api_key)
    r = allowed.post(
        f"/dashboard/approvals/{event['approval_id']}",
        data={"decision": "approve", "csrf_token": csrf(allowed)},
    )
    assert r.status_code == 303


def test_a_dashboard_decision_alerts_the_approval_webhook(
    receiver: Receiver, tmp_path: Path
) -> None:
    with run_server(env=ALLOW, db_path=tmp_path / "hooks.db") as server:
        hook = add_hook(server, receiver.url, ["approval"])
        policy = {"review_actions": ["run_sql"]}
        r = httpx.put(f"{server.url}/v1/org/policy", headers=auth(server.api_key), json=policy)
        assert r.status_code == 200, r.text
        event = hold(server)
        client = sign_in(server.url, server.api_key)
        r = client.post(
            f"/dashboard/approvals/{event['approval_id']}",
            data={"decision": "deny", "comment": "not now", "csrf_token": csrf(client)},
        )
        assert r.status_code == 303
        (got,) = receiver.wait_for(1)
        check_signature(got, hook["secret"])
        doc = got.json()
        assert doc["triggers"] == ["approval"] and doc["event"]["action"] == "deny_call"
        assert "DELETE FROM orders" not in got.body.decode()  # never the call's arguments
