"""`agentaudit mcp-server`: the audit trail as MCP tools, driven by a real MCP client session
over stdio against a real process; scoping, a check that records nothing, a session summary."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

import pytest
from mcp import ClientSession
from mcp.client.stdio import StdioServerParameters, stdio_client

from agentaudit import AgentAudit, AsyncAgentAudit
from agentaudit_integrations.mcp_trail import Trail
from tests.conftest import REPO_ROOT

DROP = "DROP TABLE customers"


def seed(db: Path) -> None:
    with AgentAudit(db_path=db) as audit:
        audit.log("support", "web_search", {"query": "refund policy"}, {"session_id": "s1"})
        audit.log(
            "support",
            "lookup_customer",
            {"email": "jane@example.com"},
            {"session_id": "s1"},
        )
        audit.log("support", "run_sql", {"sql": DROP}, {"session_id": "s1"})
        audit.log("billing", "refund", {"amount": 20}, {"session_id": "s2"})


async def test_the_trail_tools_over_stdio(tmp_path: Path) -> None:
    db = tmp_path / "trail.db"
    seed(db)
    env = {k: v for k, v in os.environ.items() if not k.startswith("AGENTAUDIT_")}
    env["PYTHONPATH"] = os.pathsep.join([str(REPO_ROOT / "core"), str(REPO_ROOT)])
    params = StdioServerParameters(
        command=sys.executable,
        args=["-m", "agentaudit", "mcp-server", "--db", str(db), "--agent-id", "support"],
        env=env,
    )
    async with (
        stdio_client(params) as (read, write),
        ClientSession(read, write) as session,
    ):
        await session.initialize()
        tools = {t.name for t in (await session.list_tools()).tools}
        assert tools == {
            "recent_events",
            "check_call",
            "session_summary",
            "current_policy",
            "ai_act_status",
        }

        async def call(name: str, args: dict[str, Any] | None = None) -> dict[str, Any]:
            result = await session.call_tool(name, args or {})
            assert not result.isError, result.content
            assert result.structuredContent is not None
            return result.structuredContent

        recent = await call("recent_events", {"agent_id": "billing"})  # scoped: ignored
        assert recent["total"] == 3
        assert [e["action"] for e in recent["events"]] == [
            "run_sql",
            "lookup_customer",
            "web_search",
        ]
        assert recent["events"][0]["decision"] == "block" and "data" not in recent["events"][0]
        assert recent["events"][1]["pii_fields"] == ["email"]

        checked = await call(
            "check_call",
            {"action": "run_sql", "data": {"sql": "DROP TABLE orders"}, "context": {"environment": "production"}},
        )  # fmt: skip
        assert checked["decision"] == "block" and checked["risk_level"] == "critical"
        assert checked["recorded"] is False and checked["rules"]
        assert "ai_act" in checked["frameworks"]
        harmless = await call("check_call", {"action": "web_search", "data": {"query": "x"}})
        assert harmless["decision"] == "allow" and harmless["reason"] is None
        assert (await call("recent_events"))["total"] == 3  # checks record nothing

        summary = await call("session_summary", {"session_id": "s1"})
        assert summary["calls"] == 3
        assert summary["by_decision"] == {"allow": 2, "block": 1}
        assert summary["highest_risk"] == "critical"
        assert summary["pii_types"] == ["email"]
        assert [b["action"] for b in summary["blocked"]] == ["run_sql"]
        assert any(a.startswith("gdpr.") for a in summary["articles"])
        assert (await call("session_summary", {"session_id": "s2"}))["calls"] == 0  # billing's

        policy = await call("current_policy")
        assert policy["block_on"] == "critical"

        empty = await call("ai_act_status")
        assert empty["registered"] is False and "register" in empty["message"]


@pytest.mark.parametrize("agent_id", [None, "billing"])
async def test_unscoped_trail_reads_any_agent(tmp_path: Path, agent_id: str | None) -> None:
    seed(tmp_path / "t.db")
    async with AsyncAgentAudit(db_path=tmp_path / "t.db") as audit:
        trail = Trail(audit)
        recent = await trail.recent_events(agent_id=agent_id, include_data=True)
    expected = 4 if agent_id is None else 1
    assert recent["total"] == expected
    assert "data" in recent["events"][0]


async def test_ai_act_status_names_the_agents_systems_and_their_issues(tmp_path: Path) -> None:
    seed(tmp_path / "t.db")
    with AgentAudit(db_path=tmp_path / "t.db") as audit:
        audit.create_system(
            name="Support assistant",
            agent_id_patterns=["support"],
            risk_classification="high",
            annex_iii_category="employment",
        )
        audit.create_system(name="Billing bot", agent_id_patterns=["billing*"])
    async with AsyncAgentAudit(db_path=tmp_path / "t.db") as audit:
        scoped = await Trail(audit, agent_id="support").ai_act_status(agent_id="billing")
        everyone = await Trail(audit).ai_act_status()
    assert scoped["registered"] is True and scoped["agent_id"] == "support"  # scope wins
    assert [s["name"] for s in scoped["systems"]] == ["Support assistant"]
    support = scoped["systems"][0]
    assert support["risk_classification"] == "high" and support["fria_status"] == "not_started"
    assert support["issues"], "a high-risk system without an impact assessment has open issues"
    assert 0 <= scoped["score"] <= 100 and isinstance(scoped["deadlines"], list)
    assert {s["name"] for s in everyone["systems"]} == {"Support assistant", "Billing bot"}
