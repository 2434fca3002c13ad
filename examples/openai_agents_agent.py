"""An OpenAI Agents SDK agent under AgentAudit, offline: the destructive call is blocked, the run ends.

    .venv/bin/python examples/openai_agents_agent.py        (or .venv-oa/bin/python ...)

A scripted fake `Model` (no API key, no network, tracing off) asks for three tools in turn: a web
search (harmless), a customer lookup (touches personal data) and a DROP TABLE (destructive).
`instrument(agent, audit)` puts AgentAudit's tool guardrails on every tool: the first two run and
their results are logged; the third is answered with "Blocked by AgentAudit policy: ..." and the
agent carries on to its final answer. The audit trail — calls, results, the block — is printed.
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Any

from agents import Agent, Runner, Usage, function_tool, set_tracing_disabled
from agents.items import ModelResponse
from agents.models.interface import Model
from openai.types.responses import (
    ResponseFunctionToolCall,
    ResponseOutputMessage,
    ResponseOutputText,
)

from agentaudit import AgentAudit
from agentaudit_integrations.openai_agents import instrument

RAN: list[str] = []


@function_tool
def web_search(query: str) -> str:
    """Search the web."""
    RAN.append("web_search")
    return f"Top result for {query!r}: status.example.com reports no incidents."


@function_tool
def lookup_customer(customer_id: int) -> dict[str, Any]:
    """Fetch a customer record from the CRM."""
    RAN.append("lookup_customer")
    return {"id": customer_id, "name": "Jane Doe", "email": "jane@example.com", "plan": "pro"}


@function_tool
def run_sql(sql: str) -> str:
    """Run a SQL statement on the production database."""
    RAN.append("run_sql")
    return "statement executed"


def say(text: str) -> ResponseOutputMessage:
    return ResponseOutputMessage(
        id="msg",
        type="message",
        role="assistant",
        status="completed",
        content=[ResponseOutputText(type="output_text", text=text, annotations=[])],
    )


def call(name: str, args: dict[str, Any], call_id: str) -> ResponseFunctionToolCall:
    return ResponseFunctionToolCall(
        id=f"fc_{call_id}",
        call_id=call_id,
        type="function_call",
        name=name,
        arguments=json.dumps(args),
    )


class ScriptedModel(Model):
    """Plays pre-written turns, one per model call, like a real model would answer."""

    def __init__(self) -> None:
        self.turns = [
            [
                say("Let me check whether the service is up."),
                call("web_search", {"query": "acme status"}, "call_1"),
            ],
            [
                say("The customer asked for their account information."),
                call("lookup_customer", {"customer_id": 42}, "call_2"),
            ],
            [
                say("The customers table looks stale; I will drop it."),
                call("run_sql", {"sql": "DROP TABLE customers"}, "call_3"),
            ],
            [say("The service is up and Jane's record is on file. Done.")],
        ]

    async def get_response(self, *args: Any, **kwargs: Any) -> ModelResponse:
        return ModelResponse(output=self.turns.pop(0), usage=Usage(), response_id=None)

    def stream_response(self, *args: Any, **kwargs: Any) -> Any:
        raise NotImplementedError("this example runs Runner.run_sync")


def main() -> None:
    set_tracing_disabled(True)  # the SDK's default exporter would post traces to OpenAI
    with tempfile.TemporaryDirectory() as tmp, AgentAudit(db_path=Path(tmp) / "audit.db") as audit:
        agent = Agent(
            name="support-agent",
            instructions="Help the customer.",
            model=ScriptedModel(),
            tools=[web_search, lookup_customer, run_sql],
        )
        instrument(agent, audit)
        result = Runner.run_sync(agent, "Help Jane (id 42).")

        print("Run items:")
        for item in result.new_items:
            raw = item.raw_item
            shown = raw.get("output") if isinstance(raw, dict) else getattr(raw, "name", "")
            if not shown and hasattr(raw, "content"):
                shown = raw.content[0].text
            print(f"  {type(item).__name__:<19} {str(shown)[:90]}")
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
        assert str(result.final_output).endswith("Done.")
        blocked = [e for e in events if e.decision.value == "block"]
        print(
            f"\nBlocked {len(blocked)} call(s); the agent finished: {result.final_output!r}. "
            f"Chain ok: {audit.verify().ok}"
        )


if __name__ == "__main__":
    main()
