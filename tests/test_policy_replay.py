"""Policy replay over a real server (SQLite and PostgreSQL) and the CLI on an embedded store:
exact counts and examples for a stricter and a looser candidate, erased payloads counted
apart, bad input refused with its path, and the store unchanged afterwards."""

from __future__ import annotations

import json
import os
import subprocess
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from agentaudit.models import Policy
from agentaudit.policy import merge_policy
from agentaudit.replay import replay
from tests.support.live_server import cli_command, run_server

ADMIN_URL = (
    os.environ.get("AGENTAUDIT_TEST_DATABASE_URL")
    or "postgresql://postgres@127.0.0.1:5432/agentaudit_test"
)

# (agent, action, data, times): risk as the classifier judges it, decision under the default
# policy (block_on critical)
CALLS: list[tuple[str, str, dict[str, Any], int]] = [
    ("researcher", "web_search", {"query": "weather"}, 3),  # low, allow
    ("ops-prod", "send_email", {"to": "bob@gmail.com", "body": "call +1 415 555 2671"}, 2),  # high
    ("ci-runner", "shell.exec", {"command": "rm -rf /tmp/build"}, 2),  # medium, allow
    ("ops-prod", "database_query", {"query": "DROP TABLE customers"}, 2),  # critical, block
    ("billing-prod", "transfer_money", {"amount": 50000, "to": "DE89370400440532013000"}, 1),
]


def calls() -> list[dict[str, Any]]:
    return [
        {"agent_id": a, "action": act, "data": data} for a, act, data, n in CALLS for _ in range(n)
    ]


@pytest.fixture
def pg_url() -> Iterator[str]:
    """A fresh, empty database of its own (dropped afterwards)."""
    import psycopg

    name = f"aa_replay_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(ADMIN_URL, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    base, _, _ = ADMIN_URL.rpartition("/")
    try:
        yield f"{base}/{name}"
    finally:
        with psycopg.connect(ADMIN_URL, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def store_args(request: pytest.FixtureRequest, tmp_path: Path) -> dict[str, Any]:
    if request.param == "sqlite":
        return {"db_path": tmp_path / "srv.db"}
    return {"database_url": request.getfixturevalue("pg_url")}


def snapshot(http: httpx.Client) -> tuple:
    events = http.get("/v1/events", params={"limit": 200}).json()
    return events, http.get("/v1/events/stats").json(), http.get("/v1/org/policy").json()


def test_replay_over_rest_counts_changes_exactly_and_changes_nothing(
    store_args: dict[str, Any],
) -> None:
    with run_server(**store_args) as srv:
        h = {"Authorization": f"Bearer {srv.api_key}"}
        with httpx.Client(base_url=srv.url, headers=h, timeout=60) as http:
            ids: dict[tuple[str, str], list[str]] = {}
            for body in calls():
                r = http.post("/v1/events", json=body)
                assert r.status_code == 201, r.text
                ids.setdefault((body["agent_id"], body["action"]), []).append(r.json()["id"])
            erased_id = ids["ops-prod", "send_email"][0]
            assert http.delete(f"/v1/events/{erased_id}/payload").status_code in (200, 204)
            before = snapshot(http)

            # stricter: block from medium up
            r = http.post(
                "/v1/policy/replay", json={"policy": {"block_on": "medium"}, "examples": 10}
            )
            assert r.status_code == 200, r.text
            rep = r.json()
            assert rep["replayed"] == 10  # call events only: the erasure's own record is not one
            assert rep["erased"] == 1
            assert rep["unchanged"] == 10 - 3 - 1
            assert list(rep["changes"]) == ["allow_to_block"]
            g = rep["changes"]["allow_to_block"]
            assert g["count"] == 3
            assert g["by_agent"] == {"ci-runner": 2, "ops-prod": 1}
            assert g["by_action"] == {"shell.exec": 2, "send_email": 1}
            assert g["by_rule"] == {"change.write": 2, "pii.outbound_message": 1}
            assert g["by_override"] == {"(base)": 3}
            assert set(g["examples"]) == {
                *ids["ci-runner", "shell.exec"],
                ids["ops-prod", "send_email"][1],
            }
            eg = rep["erased_changes"]["allow_to_block"]
            assert (eg["count"], eg["examples"]) == (1, [erased_id])

            # looser: never block on risk
            rep = http.post(
                "/v1/policy/replay", json={"policy": {"block_on": None}, "examples": 1}
            ).json()
            g = rep["changes"]["block_to_allow"]
            assert list(rep["changes"]) == ["block_to_allow"] and rep["erased_changes"] == {}
            assert g["count"] == 3 and rep["unchanged"] == 7
            assert g["by_rule"] == {"effect.destroy": 2, "money.large_transfer": 1}
            assert g["by_agent"] == {"ops-prod": 2, "billing-prod": 1}
            assert len(g["examples"]) == 1
            assert g["examples"][0] in {
                *ids["ops-prod", "database_query"],
                *ids["billing-prod", "transfer_money"],
            }

            # an override: only the CI agents' shell calls are refused, and named
            cand = {
                "overrides": [{"name": "ci", "agents": ["ci-*"], "blocked_actions": ["shell.*"]}]
            }
            g = http.post("/v1/policy/replay", json={"policy": cand}).json()["changes"]
            assert g["allow_to_block"]["count"] == 2
            assert g["allow_to_block"]["by_override"] == {"ci": 2}
            assert g["allow_to_block"]["by_rule"] == {"policy.blocked_actions": 2}

            # the current policy, and a period before everything: nothing changes
            assert http.post("/v1/policy/replay", json={}).json()["changes"] == {}
            empty = http.post("/v1/policy/replay", json={"until": "2000-01-01T00:00:00Z"}).json()
            assert empty["replayed"] == 0
            since = http.get(f"/v1/events/{ids['ops-prod', 'database_query'][0]}").json()[
                "created_at"
            ]
            later = http.post("/v1/policy/replay", json={"since": since}).json()["replayed"]
            all_times = [e["created_at"] for e in before[0]["events"] if e["kind"] == "call"]
            assert later == sum(t >= since for t in all_times)

            # bad input: 422 naming the field
            r = http.post("/v1/policy/replay", json={"policy": {"block_on": "severe"}})
            assert r.status_code == 422 and r.json()["detail"][0]["loc"] == [
                "body",
                "policy",
                "block_on",
            ]
            r = http.post(
                "/v1/policy/replay", json={"policy": {"overrides": [{"name": "x", "agents": [""]}]}}
            )
            assert r.json()["detail"][0]["loc"] == ["body", "policy", "overrides", 0, "agents", 0]
            r = http.post("/v1/policy/replay", json={"examples": 1000})
            assert r.status_code == 422 and r.json()["detail"][0]["loc"] == ["body", "examples"]
            r = http.post("/v1/policy/replay", json={"polcy": {}})
            assert r.status_code == 422 and r.json()["detail"][0]["loc"] == ["body", "polcy"]
            assert httpx.post(f"{srv.url}/v1/policy/replay", json={}).status_code == 401

            # the CLI against the server gives the server's report
            cand_file = Path(srv.stderr_path).parent / "cand.json"
            cand_file.write_text(json.dumps({"block_on": "medium"}))
            args = ["--url", srv.url, "--api-key", srv.api_key, "--file", str(cand_file)]
            done = run_cli("policy", "replay", *args, "--json", "--examples", "10")
            assert done.returncode == 0, done.stderr
            assert json.loads(done.stdout)["changes"]["allow_to_block"]["count"] == 3
            cand_file.write_text(json.dumps({"block_on": "severe"}))
            done = run_cli("policy", "replay", *args)
            assert done.returncode == 2 and "policy.block_on" in done.stderr

            # nothing changed: events, counts, policy, and the chain verifies
            assert snapshot(http) == before
            assert http.get("/v1/verify").json()["ok"] is True


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "AGENTAUDIT_PURE_PYTHON": os.environ.get("AGENTAUDIT_PURE_PYTHON", "1")}
    return subprocess.run(
        [*cli_command(), *args], capture_output=True, text=True, env=env, timeout=120
    )


def test_cli_policy_set_show_and_replay_on_the_embedded_store(tmp_path: Path) -> None:
    from agentaudit import AgentAudit

    db = tmp_path / "audit.db"
    with AgentAudit(db_path=db) as audit:
        for body in calls():
            audit.log(**body)
        before = [e.model_dump() for e in audit.list_events(limit=200).events]

    stricter = tmp_path / "stricter.json"
    stricter.write_text(json.dumps({"block_on": "medium"}))
    done = run_cli("policy", "replay", "--db", str(db), "--file", str(stricter), "--json")
    assert done.returncode == 0, done.stderr
    rep = json.loads(done.stdout)
    assert rep["replayed"] == 10 and rep["changes"]["allow_to_block"]["count"] == 4
    assert rep["changes"]["allow_to_block"]["by_agent"] == {"ops-prod": 2, "ci-runner": 2}

    done = run_cli("policy", "replay", "--db", str(db), "--file", str(stricter))
    assert done.returncode == 0, done.stderr
    assert "10 calls replayed: 6 unchanged, 4 would change" in done.stdout
    assert "allow → block" in done.stdout

    bad = tmp_path / "bad.json"
    bad.write_text(
        json.dumps({"overrides": [{"name": "ok", "agents": ["a"]}, {"name": "x", "agents": [""]}]})
    )
    done = run_cli("policy", "set", "--db", str(db), "--file", str(bad))
    assert done.returncode == 2 and "overrides[1].agents[0]" in done.stderr
    done = run_cli("policy", "replay", "--db", str(db), "--file", str(bad))
    assert done.returncode == 2 and "overrides[1].agents[0]" in done.stderr

    good = tmp_path / "good.json"
    good.write_text(
        json.dumps({"overrides": [{"name": "prod", "agents": ["*-prod"], "block_on": "high"}]})
    )
    assert run_cli("policy", "set", "--db", str(db), "--file", str(good)).returncode == 0
    shown = json.loads(run_cli("policy", "show", "--db", str(db)).stdout)
    assert shown["overrides"] == [
        {"name": "prod", "agents": ["*-prod"], "actions": [], "block_on": "high"}
    ]
    assert shown["block_on"] == "critical"

    # the current policy (with the override) against what was stored under the old one
    done = run_cli("policy", "replay", "--db", str(db), "--json")
    g = json.loads(done.stdout)["changes"]["allow_to_block"]
    assert g["count"] == 2 and g["by_override"] == {"prod": 2} and g["by_agent"] == {"ops-prod": 2}

    with AgentAudit(db_path=db) as audit:
        after = [e.model_dump() for e in audit.list_events(limit=200).events]
        assert audit.verify().ok
    # replay changed nothing; `policy set` chained its change (the newest event)
    assert after[0]["kind"] == "policy_change" and after[1:] == before


def test_replay_core_reads_in_batches(tmp_path: Path) -> None:
    """Batches of any size give the same report (the keyset walk misses and repeats nothing)."""
    from agentaudit.embedded import EmbeddedBackend

    backend = EmbeddedBackend(tmp_path / "a.db")
    try:
        for body in calls():
            backend.service.record(backend.org_id, [__import__("agentaudit").EventIn(**body)])
        current = Policy()
        cand = merge_policy(current, {"block_on": "medium"})
        reports = [
            replay(backend.store, backend.org_id, current, cand, examples=100, batch=n)
            for n in (1, 3, 1000)
        ]
        assert reports[0] == reports[1] == reports[2]
        assert reports[0].changes["allow_to_block"].count == 4
    finally:
        backend.close()


def test_any_stored_decision_value_is_counted_the_same_way() -> None:
    """A third decision (another part adds `review`) needs no change here: kinds are named from
    the stored and the new value. The rows are what `replay_rows` returns."""

    class Rows:
        def __init__(self, rows: list[tuple]) -> None:
            self.rows = rows

        def replay_rows(self, org_id: str, after_seq: int, limit: int, since=None, until=None):
            return [r for r in self.rows if r[0] > after_seq][:limit]

    crit = '[["effect.destroy","critical"]]'
    rows = [
        (1, "e1", "a", "x", "critical", "[]", "[]", crit, "review", None),
        (2, "e2", "a", "x", "critical", "[]", "[]", crit, "review", "2026-01-01T00:00:00.000Z"),
        (3, "e3", "a", "x", "low", "[]", "[]", "[]", "allow", None),
    ]
    report = replay(Rows(rows), "org", Policy(), Policy(), examples=5, batch=2)
    assert report.replayed == 3 and report.unchanged == 1 and report.erased == 1
    assert report.changes["review_to_block"].examples == ["e1"]
    assert report.changes["review_to_block"].by_rule == {"effect.destroy": 1}
    assert report.erased_changes["review_to_block"].examples == ["e2"]
