"""An MCP server over the audit trail, so an agent can check itself before and after it acts.

    agentaudit mcp-server [--agent-id support-bot] [--url … | --db …]      (stdio)

Tools:

- `recent_events`: the agent's latest audited calls, with decisions, risk and reasons;
- `check_call`: the risk and the decision a planned call would get — classified and decided
  by the organisation's policy exactly as a logged call, but *not* recorded;
- `session_summary`: one session's calls counted by decision, risk and action, its refusals,
  the personal-data and secret types it touched and the compliance articles involved;
- `current_policy`: what the policy blocks.

With `agent_id` set, every tool is scoped to that agent (an agent cannot read another's trail).
Payloads (`data`) are left out of answers unless asked for. The EU AI Act status tool of the
issue waits for the AI Act register, which does not exist yet. Needs the `mcp` extra.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from agentaudit.models import Event, EventIn, Policy

MAX_RECENT = 100
MAX_SUMMARY_EVENTS = 5_000
PAGE = 200
INSTRUCTIONS = (
    "AgentAudit records and guards your tool calls. Call check_call before a risky action to "
    "see whether policy allows it; recent_events and session_summary show what you did; "
    "ai_act_status tells which registered AI systems you belong to and their open issues."
)


def summary(event: Event, *, include_data: bool = False) -> dict[str, Any]:
    out: dict[str, Any] = {
        "id": event.id,
        "created_at": event.created_at.isoformat().replace("+00:00", "Z"),
        "agent_id": event.agent_id,
        "action": event.action,
        "decision": str(event.decision),
        "reason": event.reason,
        "risk_level": str(event.risk_level),
        "pii_fields": event.pii_fields,
        "secret_fields": event.secret_fields,
        "frameworks": event.frameworks,
        "session_id": event.context.get("session_id"),
    }
    if include_data:
        out["data"] = event.data
    return out


class Trail:
    """The tools' logic over an `AsyncAgentAudit` (kept apart from the MCP wiring for tests)."""

    def __init__(self, audit: Any, *, agent_id: str | None = None) -> None:
        self.audit = audit
        self.agent_id = agent_id

    def _agent(self, requested: str | None) -> str | None:
        if self.agent_id is not None:
            return self.agent_id  # scoped: the request cannot widen it
        return requested or None

    async def recent_events(
        self,
        limit: int = 20,
        session_id: str | None = None,
        decision: str | None = None,
        risk_level: str | None = None,
        agent_id: str | None = None,
        include_data: bool = False,
    ) -> dict[str, Any]:
        page = await self.audit.list_events(
            agent_id=self._agent(agent_id),
            session_id=session_id or None,
            decision=decision or None,
            risk_level=risk_level or None,
            limit=max(1, min(limit, MAX_RECENT)),
        )
        return {
            "events": [summary(e, include_data=include_data) for e in page.events],
            "total": page.total,
        }

    async def check_call(
        self,
        action: str,
        data: dict[str, Any] | None = None,
        context: dict[str, Any] | None = None,
        reasoning: str | None = None,
    ) -> dict[str, Any]:
        from agentaudit.classifier import classify
        from agentaudit.pipeline import evaluate

        policy: Policy = await self.audit.get_policy()
        call = EventIn(
            agent_id=self.agent_id or "mcp-check",
            action=action,
            data=data or {},
            context=context or {},
            reasoning=reasoning,
        )
        event, _ = evaluate(call, policy)  # the very path a logged call takes; nothing stored
        matched = classify(
            call.agent_id, call.action, call.data, call.context, call.reasoning, policy=policy
        ).matches
        return {
            "decision": str(event.decision),
            "reason": event.reason,
            "risk_level": str(event.risk_level),
            "pii_fields": event.pii_fields,
            "secret_fields": event.secret_fields,
            "frameworks": event.frameworks,
            "rules": [{"rule": m.rule, "level": str(m.level)} for m in matched],
            "recorded": False,
        }

    async def session_summary(self, session_id: str, agent_id: str | None = None) -> dict[str, Any]:
        events: list[Event] = []
        total = 0
        while len(events) < MAX_SUMMARY_EVENTS:
            page = await self.audit.list_events(
                agent_id=self._agent(agent_id),
                session_id=session_id,
                limit=PAGE,
                offset=len(events),
                order="asc",
            )
            total = page.total
            events.extend(page.events)
            if not page.events or len(events) >= total:
                break
        by_decision = Counter(str(e.decision) for e in events)
        by_risk = Counter(str(e.risk_level) for e in events)
        articles = sorted(
            {f"{fw}.{a}" for e in events for fw, items in e.frameworks.items() for a in items}
        )
        return {
            "session_id": session_id,
            "calls": total,
            "counted": len(events),
            "first": summary(events[0])["created_at"] if events else None,
            "last": summary(events[-1])["created_at"] if events else None,
            "by_decision": dict(by_decision),
            "by_risk_level": {k: by_risk[k] for k in ("low", "medium", "high", "critical")},
            "top_actions": dict(Counter(e.action for e in events).most_common(10)),
            "highest_risk": max(
                (str(e.risk_level) for e in events),
                key=("low", "medium", "high", "critical").index,
                default=None,
            ),
            "blocked": [summary(e) for e in events if str(e.decision) == "block"][-10:],
            "pii_types": sorted({p for e in events for p in e.pii_fields}),
            "secret_types": sorted({s for e in events for s in e.secret_fields}),
            "articles": articles,
        }

    async def current_policy(self) -> dict[str, Any]:
        policy: Policy = await self.audit.get_policy()
        keep = ("block_on", "blocked_actions", "allowed_actions", "block_pii_types", "frameworks")
        return {k: v for k, v in policy.model_dump(mode="json").items() if k in keep}

    async def ai_act_status(self, agent_id: str | None = None) -> dict[str, Any]:
        """The AI Act register's view of the calling agent: the systems it belongs to, their
        classification and open issues, the overall score and the next deadlines."""
        agent = self._agent(agent_id)
        status = (await self.audit.get_compliance_status()).model_dump(mode="json")
        systems = status["systems"]
        if not systems:
            return {
                "registered": False,
                "message": "No AI system is registered: the AI Act register is empty "
                "(agentaudit ai-act, the dashboard or POST /v1/ai-systems).",
            }
        mine = [s for s in systems if agent is None or agent in s["agents"]]
        keep = ("id", "name", "risk_classification", "annex_iii_category", "fria_status",
                "checks", "issues")  # fmt: skip
        return {
            "registered": True,
            "agent_id": agent,
            "systems": [{k: s[k] for k in keep} for s in mine],
            "score": status["score"],
            "checks": status["checks"],
            "deadlines": status["deadlines"][:3],
            "next_steps": status["next_steps"][:5],
        }


def create_trail_server(audit: Any, *, agent_id: str | None = None, **settings: Any) -> Any:
    """A FastMCP server with the trail's tools over `audit` (an `AsyncAgentAudit`); `settings`
    go to FastMCP (host, port, … for Streamable HTTP)."""
    try:
        from mcp.server.fastmcp import FastMCP
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise ImportError(
            "The trail's MCP server needs the `mcp` extra: pip install 'agentaudit[mcp]'"
        ) from exc

    trail = Trail(audit, agent_id=agent_id)
    server = FastMCP("agentaudit-trail", instructions=INSTRUCTIONS, **settings)

    @server.tool()
    async def recent_events(
        limit: int = 20,
        session_id: str | None = None,
        decision: str | None = None,
        risk_level: str | None = None,
        agent_id: str | None = None,
        include_data: bool = False,
    ) -> dict[str, Any]:
        """Your latest audited tool calls, newest first: action, decision (allow/block) and its
        reason, risk level, personal-data and secret types, compliance articles. Filters:
        session_id, decision, risk_level (low|medium|high|critical). include_data adds the
        arguments."""
        return await trail.recent_events(
            limit, session_id, decision, risk_level, agent_id, include_data
        )

    @server.tool()
    async def check_call(
        action: str,
        data: dict[str, Any] | None = None,
        context: dict[str, Any] | None = None,
        reasoning: str | None = None,
    ) -> dict[str, Any]:
        """Check a planned tool call without doing or recording it: the risk level, the
        personal data and secrets it carries, the articles it touches, and whether the policy
        would allow or block it (with the reason). action is the tool's name, data its
        arguments, context e.g. {"environment": "production"}."""
        return await trail.check_call(action, data, context, reasoning)

    @server.tool()
    async def session_summary(session_id: str, agent_id: str | None = None) -> dict[str, Any]:
        """A session's risk summary: calls by decision and risk level, the most frequent
        actions, the refused calls and why, the personal-data and secret types touched and the
        compliance articles involved."""
        return await trail.session_summary(session_id, agent_id)

    @server.tool()
    async def ai_act_status(agent_id: str | None = None) -> dict[str, Any]:
        """The EU AI Act register's view of you: the AI systems your agent id belongs to, their
        risk classification, impact-assessment status and open compliance issues, the
        organisation's score, the next legal deadlines and next steps. Says so when no system
        is registered."""
        return await trail.ai_act_status(agent_id)

    @server.tool()
    async def current_policy() -> dict[str, Any]:
        """What the organisation's policy blocks: the risk threshold (block_on), blocked and
        allowed action patterns, personal-data types that block, enabled frameworks."""
        return await trail.current_policy()

    return server
