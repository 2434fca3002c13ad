"""A LangChain agent under AgentAudit, offline: the destructive call is blocked, the agent finishes.

    .venv/bin/python examples/langchain_agent.py

A scripted fake chat model (no API key, no network) asks for three tools in turn: a web search
(harmless), a customer lookup (touches personal data) and a DROP TABLE (destructive). The
`AgentAuditMiddleware` logs each call, lets the first two run, answers the third with
"Blocked by AgentAudit policy: ..." and the agent carries on to its final answer. The audit
trail — calls, results and the block — is printed at the end.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from langchain.agents import create_agent
from langchain_core.language_models.fake_chat_models import GenericFakeChatModel
from langchain_core.messages import AIMessage, ToolMessage
from langchain_core.tools import tool

from agentaudit import AgentAudit
from agentaudit_integrations.langchain import AgentAuditMiddleware

RAN: list[str] = []


@tool
def web_search(query: str) -> str:
    """Search the web."""
    RAN.append("web_search")
    return f"Top result for {query!r}: status.example.com reports no incidents."


@tool
def lookup_customer(customer_id: int) -> dict[str, Any]:
    """Fetch a customer record from the CRM."""
    RAN.append("lookup_customer")
    return {"id": customer_id, "name": "Jane Doe", "email": "jane@example.com", "plan": "pro"}


@tool
def run_sql(sql: str) -> str:
    """Run a SQL statement on the production database."""
    RAN.append("run_sql")
    return "statement executed"


class ScriptedModel(GenericFakeChatModel):
    """Plays pre-written turns; accepts tools like a real chat model would."""

    def bind_tools(self, tools: Any, **kwargs: Any) -> ScriptedModel:
        return self


def tool_call(name: str, args: dict[str, Any], call_id: str) -> dict[str, Any]:
    return {"name": name, "args": args, "id": call_id, "type": "tool_call"}


def scripted_model() -> ScriptedModel:
    return ScriptedModel(
        messages=iter(
            [
                AIMessage(
                    content="Let me check whether the service is up.",
                    tool_calls=[tool_call("web_search", {"query": "acme status"}, "call_1")],
                ),
                AIMessage(
                    content="The customer asked for their account information.",
                    tool_calls=[tool_call("lookup_customer", {"customer_id": 42}, "call_2")],
                ),
                AIMessage(
                    content="The customers table looks stale; I will drop it.",
                    tool_calls=[tool_call("run_sql", {"sql": "DROP TABLE customers"}, "call_3")],
                ),
                AIMessage(content="The service is up and Jane's record is on file. Done."),
            ]
        )
    )


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp, AgentAudit(db_path=Path(tmp) / "audit.db") as audit:
        agent = create_agent(
            scripted_model(),
            [web_search, lookup_customer, run_sql],
            middleware=[AgentAuditMiddleware(audit)],
            name="support-agent",
        )
        result = agent.invoke({"messages": [{"role": "user", "content": "Help Jane (id 42)."}]})

        print("Conversation:")
        for message in result["messages"]:
            status = f" [{message.status}]" if isinstance(message, ToolMessage) else ""
            print(f"  {type(message).__name__:<13}{status} {str(message.content)[:90]}")
        print(f"\nTools that actually ran: {RAN}")

        audit.flush()
        events = list(reversed(audit.list_events(limit=50).events))
        print(f"\nAudit trail ({len(events)} events):")
        for e in events:
            pii = ",".join(e.pii_fields) or "-"
            print(
                f"  {e.decision.value:<5} {e.risk_level.value:<8} pii={pii:<6} "
                f"{e.agent_id} {e.action:<24} {e.reason or ''}"
            )
            if e.reasoning:
                print(f"        why: {e.reasoning}")

        assert "run_sql" not in RAN, "the destructive call must never run"
        assert result["messages"][-1].content.endswith("Done.")
        blocked = [e for e in events if e.decision.value == "block"]
        print(
            f"\nBlocked {len(blocked)} call(s); the agent finished. Chain ok: {audit.verify().ok}"
        )


if __name__ == "__main__":
    main()
