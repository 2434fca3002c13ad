"""Per-agent and per-action policy overrides: precedence, validation (with the field's path),
the deciding override named on the event, and the round trip over a real server."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import httpx
import pytest
from pydantic import ValidationError

from agentaudit.models import (
    Classification,
    Decision,
    Policy,
    PolicyOverride,
    RiskLevel,
    RuleMatch,
)
from agentaudit.policy import choose_override, decide, merge_policy
from tests.support.live_server import run_server


class Call:
    def __init__(self, agent_id: str, action: str) -> None:
        self.agent_id = agent_id
        self.action = action


def risk(level: str, rule: str = "effect.destroy", pii: list[str] | None = None) -> Classification:
    return Classification.model_construct(
        risk_level=RiskLevel(level),
        matches=[RuleMatch.model_construct(rule=rule, level=RiskLevel(level), evidence="x")],
        pii_fields=pii or [],
        secret_fields=[],
    )


def chosen(policy: Policy, agent: str, action: str) -> str | None:
    o = choose_override(policy, agent, action)
    return None if o is None else o.name


def policy(*overrides: dict[str, Any], **base: Any) -> Policy:
    return Policy.model_validate({**base, "overrides": list(overrides)})


# -- precedence --------------------------------------------------------------------------------


def test_an_override_naming_agents_and_actions_beats_one_naming_only_one() -> None:
    p = policy(
        {"name": "prod", "agents": ["ops-prod"], "block_on": "high"},
        {"name": "prod-shell", "agents": ["*-prod"], "actions": ["shell.*"], "block_on": "low"},
        {"name": "shell", "actions": ["shell.exec"], "block_on": "medium"},
    )
    # both dimensions win even with more wildcards than the literal agent-only override
    assert chosen(p, "ops-prod", "shell.exec") == "prod-shell"
    assert chosen(p, "ops-prod", "http.get") == "prod"
    assert chosen(p, "ci-1", "shell.exec") == "shell"
    assert chosen(p, "ci-1", "http.get") is None


def test_fewer_wildcards_then_longer_literal_prefix_then_list_order() -> None:
    p = policy(
        {"name": "any-o", "agents": ["o*"]},
        {"name": "ops", "agents": ["ops-*"]},
        {"name": "exact", "agents": ["ops-prod"]},
        {"name": "two-wild", "agents": ["ops-*-*"]},
    )
    assert chosen(p, "ops-prod", "x") == "exact"  # no wildcard
    assert chosen(p, "ops-dev", "x") == "ops"  # one wildcard, prefix 4 beats prefix 1
    assert chosen(p, "ops-a-b", "x") == "ops"  # one wildcard beats two
    assert chosen(p, "other", "x") == "any-o"
    tie = policy({"name": "first", "agents": ["ci-*"]}, {"name": "second", "agents": ["ci-*"]})
    assert chosen(tie, "ci-7", "x") == "first"
    tie2 = policy({"name": "b", "agents": ["ci-?"]}, {"name": "a", "agents": ["ci-*"]})
    assert chosen(tie2, "ci-7", "x") == "b"  # equal counts and prefixes: the earlier


def test_the_most_specific_matching_pattern_of_an_override_counts() -> None:
    p = policy(
        {"name": "broad", "agents": ["*", "billing-prod"]},
        {"name": "billing", "agents": ["billing-*"]},
    )
    assert chosen(p, "billing-prod", "x") == "broad"  # its literal pattern matched
    assert chosen(p, "billing-dev", "x") == "billing"


def test_patterns_ignore_case() -> None:
    p = policy({"name": "prod", "agents": ["*-PROD"], "actions": ["Shell.*"]})
    assert chosen(p, "Ops-Prod", "SHELL.exec") == "prod"


def test_override_fields_replace_the_base_and_unset_ones_inherit() -> None:
    p = policy(
        {"name": "prod", "agents": ["*-prod"], "block_on": "high"},
        {"name": "ci", "agents": ["ci-*"], "block_on": None},
        {"name": "pii", "agents": ["mail-*"], "block_pii_types": ["email"]},
        blocked_actions=["rm_*"],
    )
    d = decide(risk("high"), Call("ops-prod", "deploy"), p)
    assert d.decision == Decision.BLOCK and d.override == "prod"
    assert d.reason == "decided by override `prod`: risk high >= block_on high: effect.destroy: x"
    assert d.rule == "effect.destroy"
    # the base blocks high? no: critical; without the override it is allowed
    assert decide(risk("high"), Call("ops-dev", "deploy"), p).decision == Decision.ALLOW
    # block_on null in an override: never block on risk, where the base blocks critical
    d = decide(risk("critical"), Call("ci-7", "deploy"), p)
    assert d.decision == Decision.ALLOW and d.override == "ci"
    assert d.reason == "decided by override `ci`"
    # blocked_actions not set by the override: inherited from the base
    d = decide(risk("low"), Call("ci-7", "rm_rf"), p)
    assert (d.decision, d.rule, d.override) == (Decision.BLOCK, "policy.blocked_actions", "ci")
    d = decide(risk("low", pii=["email"]), Call("mail-bot", "send"), p)
    assert (d.decision, d.rule) == (Decision.BLOCK, "policy.block_pii_types")
    assert decide(risk("low", pii=["email"]), Call("other", "send"), p).override is None


def test_an_override_survives_json_and_keeps_inheriting() -> None:
    p = policy({"name": "prod", "agents": ["*-prod"], "blocked_actions": ["x"]})
    text = p.model_dump_json()
    assert '"block_on"' not in text.split('"overrides"')[1]  # not given: not written
    again = Policy.model_validate_json(text)
    assert again == p
    assert again.overrides[0].model_fields_set >= {"blocked_actions"}
    assert "block_on" not in again.overrides[0].model_fields_set
    merged = merge_policy(again, {"block_on": "high"})  # the base changes, the override inherits
    assert decide(risk("high"), Call("a-prod", "y"), merged).decision == Decision.BLOCK


def test_no_overrides_decides_as_before() -> None:
    p = Policy()
    d = decide(risk("critical"), Call("a", "b"), p)
    assert d.override is None and d.reason is not None
    assert not d.reason.startswith("decided by override")


# -- validation --------------------------------------------------------------------------------


def locs(exc: ValidationError) -> list[tuple]:
    return [tuple(e["loc"]) for e in exc.errors()]


@pytest.mark.parametrize(
    ("override", "loc"),
    [
        ({"name": "Bad Name", "agents": ["a"]}, ("overrides", 0, "name")),
        ({"name": "x"}, ("overrides", 0)),
        ({"name": "x", "agents": ["a" * 257]}, ("overrides", 0, "agents", 0)),
        ({"name": "x", "actions": [""]}, ("overrides", 0, "actions", 0)),
        ({"name": "x", "agents": ["a"], "block_on": "severe"}, ("overrides", 0, "block_on")),
        (
            {"name": "x", "agents": ["a"], "block_pii_types": ["shoe"]},
            ("overrides", 0, "block_pii_types"),
        ),
        (
            {"name": "x", "agents": ["a"], "store_min_risk": "low"},
            ("overrides", 0, "store_min_risk"),
        ),
    ],
)
def test_invalid_overrides_are_refused_with_their_path(override: dict, loc: tuple) -> None:
    with pytest.raises(ValidationError) as info:
        Policy.model_validate({"overrides": [override]})
    assert loc in locs(info.value)


def test_override_names_are_unique() -> None:
    with pytest.raises(ValidationError) as info:
        policy({"name": "a", "agents": ["x"]}, {"name": "a", "actions": ["y"]})
    assert ("overrides",) in locs(info.value)
    assert "overrides[1].name 'a' repeats overrides[0].name" in str(info.value)


def test_override_model_alone() -> None:
    o = PolicyOverride(name="ci_1", actions=["shell.*"])
    assert o.changes() == {}
    assert PolicyOverride(name="c", agents=["a"], block_on=None).changes() == {"block_on": None}


# -- over a real server ------------------------------------------------------------------------

OVERRIDES = [
    {"name": "ci-agents", "agents": ["ci-*"], "block_on": None},
    {"name": "prod-agents", "agents": ["*-prod"], "block_on": "high"},
]
SAVED = [
    {"name": "ci-agents", "agents": ["ci-*"], "actions": [], "block_on": None},
    {"name": "prod-agents", "agents": ["*-prod"], "actions": [], "block_on": "high"},
]
HIGH = {"action": "send_email", "data": {"to": "bob@gmail.com", "body": "call +1 415 555 2671"}}
CRITICAL = {"action": "database_query", "data": {"query": "DROP TABLE customers"}}


def test_rest_round_trip_and_the_event_names_its_override(tmp_path: Path) -> None:
    with run_server(db_path=tmp_path / "srv.db") as srv:
        h = {"Authorization": f"Bearer {srv.api_key}"}
        with httpx.Client(base_url=srv.url, headers=h, timeout=30) as http:
            r = http.put("/v1/org/policy", json={"overrides": OVERRIDES})
            assert r.status_code == 200, r.text
            got = http.get("/v1/org/policy").json()["overrides"]
            assert got == SAVED  # block_on null kept; no unset decision field written

            r = http.post("/v1/events", json={"agent_id": "ops-prod", **HIGH})
            assert r.status_code == 201, r.text
            e = r.json()
            assert e["decision"] == "block" and e["policy_override"] == "prod-agents"
            assert e["reason"].startswith("decided by override `prod-agents`: risk high")
            stored = http.get(f"/v1/events/{e['id']}").json()
            assert stored["policy_override"] == "prod-agents"
            assert stored["reason"] == e["reason"]

            r = http.post("/v1/events", json={"agent_id": "ci-runner", **CRITICAL})
            e = r.json()
            assert (e["decision"], e["policy_override"]) == ("allow", "ci-agents")
            assert http.get(f"/v1/events/{e['id']}").json()["policy_override"] == "ci-agents"

            e = http.post("/v1/events", json={"agent_id": "ops-dev", **HIGH}).json()
            assert (e["decision"], e["policy_override"]) == ("allow", None)
            e = http.post("/v1/events", json={"agent_id": "ops-dev", **CRITICAL}).json()
            assert e["decision"] == "block" and e["policy_override"] is None
            assert http.get(f"/v1/events/{e['id']}").json()["policy_override"] is None
            assert http.get("/v1/verify").json()["ok"] is True

            # a bad override: 422 naming the path, nothing saved
            bad = [OVERRIDES[0], {"name": "x", "agents": ["a" * 300]}]
            r = http.put("/v1/org/policy", json={"overrides": bad})
            assert r.status_code == 422
            assert ["body", "overrides", 1, "agents", 0] in [d["loc"] for d in r.json()["detail"]]
            r = http.put("/v1/org/policy", json={"overrides": [OVERRIDES[0], OVERRIDES[0]]})
            assert r.status_code == 422
            assert r.json()["detail"][0]["loc"] == ["body", "overrides"]
            assert "repeats overrides[0].name" in r.json()["detail"][0]["msg"]
            r = http.put("/v1/org/policy", json={"overrides": [{"name": "x"}]})
            assert r.status_code == 422 and r.json()["detail"][0]["loc"] == ["body", "overrides", 0]
            assert http.get("/v1/org/policy").json()["overrides"] == SAVED


# -- the dashboard's policy editor -------------------------------------------------------------


def test_dashboard_saves_an_override_and_shows_it_on_the_event(tmp_path: Path) -> None:
    from tests.test_dashboard import CSRF_INPUT, session_csrf, sign_in

    with run_server(db_path=tmp_path / "srv.db") as srv:
        h = {"Authorization": f"Bearer {srv.api_key}"}
        client = sign_in(srv.url, srv.api_key)
        page = client.get("/dashboard/policy")
        assert 'id="overrides"' in page.text and CSRF_INPUT.search(page.text)
        form = {
            "csrf_token": session_csrf(client),
            "block_on": "critical",
            "store_min_risk": "low",
            "money_critical_threshold": "10000",
            "frameworks": ["gdpr", "ai_act"],
        }
        bad = json.dumps([{"name": "prod-agents", "agents": [""]}])
        r = client.post("/dashboard/policy", data={**form, "overrides": bad})
        assert r.status_code == 422 and "overrides.0.agents.0" in r.text
        r = client.post("/dashboard/policy", data={**form, "overrides": "[not json"})
        assert r.status_code == 422 and "overrides" in r.text
        assert httpx.get(f"{srv.url}/v1/org/policy", headers=h).json()["overrides"] == []

        good = json.dumps([{"name": "prod-agents", "agents": ["*-prod"], "block_on": "high"}])
        r = client.post("/dashboard/policy", data={**form, "overrides": good})
        assert r.status_code == 303, r.text
        saved = httpx.get(f"{srv.url}/v1/org/policy", headers=h).json()["overrides"]
        assert saved == [
            {"name": "prod-agents", "agents": ["*-prod"], "actions": [], "block_on": "high"}
        ]
        assert "*-prod" in client.get("/dashboard/policy").text  # shown again for editing
        # a form without the field (an older page) keeps the overrides
        assert client.post("/dashboard/policy", data=form).status_code == 303
        assert httpx.get(f"{srv.url}/v1/org/policy", headers=h).json()["overrides"] == saved

        # the organisation's domains and code-host accounts, one a line, checked by the model
        r = client.post("/dashboard/policy", data={**form, "internal_repositories": "acme"})
        assert r.status_code == 422 and "not a code host&#39;s account" in r.text
        lists = {"internal_domains": "acme.com\n\n", "internal_repositories": "github.com/acme"}
        assert client.post("/dashboard/policy", data={**form, **lists}).status_code == 303
        policy = httpx.get(f"{srv.url}/v1/org/policy", headers=h).json()
        assert policy["internal_domains"] == ["acme.com"]
        assert policy["internal_repositories"] == ["github.com/acme"]
        assert "github.com/acme" in client.get("/dashboard/policy").text
        assert client.post("/dashboard/policy", data=form).status_code == 303  # kept
        assert httpx.get(f"{srv.url}/v1/org/policy", headers=h).json() == policy

        e = httpx.post(f"{srv.url}/v1/events", json={"agent_id": "ops-prod", **HIGH}, headers=h)
        page = client.get(f"/dashboard/events/{e.json()['id']}").text
        assert 'id="decided-by-override"' in page and "prod-agents" in page
        assert 'id="fired-rule">pii.outbound_message' in page  # the rule under the prefix
