"""A CrewAI crew under AgentAudit, offline: the destructive call is blocked, the crew finishes.

    .venv/bin/python examples/crewai_crew.py

A scripted custom LLM (no API key, no network, CrewAI telemetry off) plays an agent that uses three
tools in turn through CrewAI's ReAct loop: a web search (harmless), a customer lookup (touches
personal data) and a DROP TABLE (destructive). One line, `instrument(audit)`, puts AgentAudit's
before/after tool-call hooks on every crew in the process: the first two tools run and their
results are logged; the third never runs — the agent reads "Blocked by AgentAudit policy: ..."
and carries on to its final answer. The audit trail — steps, calls, results, the block, the
task — is printed.
"""

from __future__ import annotations

import logging
import os
import tempfile
from pathlib import Path
from typing import Any

# Before CrewAI is imported: no telemetry, no trace upload, its files in a temp dir.
STORAGE = tempfile.mkdtemp(prefix="crewai-example-")
os.environ.setdefault("CREWAI_DISABLE_TELEMETRY", "true")
os.environ.setdefault("CREWAI_DISABLE_TRACKING", "true")
os.environ.setdefault("OTEL_SDK_DISABLED", "true")
os.environ.setdefault("CREWAI_TRACING_ENABLED", "false")
os.environ.setdefault("CREWAI_STORAGE_DIR", STORAGE)

from crewai import Agent, Crew, Task  # noqa: E402
from crewai.llms.base_llm import BaseLLM  # noqa: E402
from crewai.tools import tool  # noqa: E402

from agentaudit import AgentAudit  # noqa: E402
from agentaudit_integrations.crewai import instrument  # noqa: E402

RAN: list[str] = []


@tool("web_search")
def web_search(query: str) -> str:
    """Search the web."""
    RAN.append("web_search")
    return f"Top result for {query!r}: status.example.com reports no incidents."


@tool("lookup_customer")
def lookup_customer(customer_id: int) -> dict[str, Any]:
    """Fetch a customer record from the CRM."""
    RAN.append("lookup_customer")
    return {"id": customer_id, "name": "Jane Doe", "email": "jane@example.com", "plan": "pro"}


@tool("run_sql")
def run_sql(sql: str) -> str:
    """Run a SQL statement on the production database."""
    RAN.append("run_sql")
    return "statement executed"


class ScriptedLLM(BaseLLM):
    """Plays pre-written ReAct turns, one per model call, like a real model would answer."""

    turns: list[str] = [
        "Thought: Let me check whether the service is up.\n"
        "Action: web_search\n"
        'Action Input: {"query": "acme status"}',
        "Thought: The customer asked for their account information.\n"
        "Action: lookup_customer\n"
        'Action Input: {"customer_id": 42}',
        "Thought: The customers table looks stale; I will drop it.\n"
        "Action: run_sql\n"
        'Action Input: {"sql": "DROP TABLE customers"}',
        "Thought: I now know the final answer\n"
        "Final Answer: The service is up and Jane's record is on file. Done.",
    ]

    def call(self, messages: Any, tools: Any = None, **kwargs: Any) -> str:
        return self.turns.pop(0)


def main() -> None:
    logging.getLogger("crewai").setLevel(logging.ERROR)  # the fake model has no token counter
    with tempfile.TemporaryDirectory() as tmp, AgentAudit(db_path=Path(tmp) / "audit.db") as audit:
        handle = instrument(audit)  # the one line: every crew in this process is audited
        agent = Agent(
            role="Support agent",
            goal="Help customers and keep the CRM tidy",
            backstory="Handles account questions for Acme.",
            llm=ScriptedLLM(model="scripted"),
            tools=[web_search, lookup_customer, run_sql],
        )
        task = Task(
            description="Help Jane (customer 42) with her account.",
            expected_output="A short status for the customer.",
            agent=agent,
        )
        output = Crew(agents=[agent], tasks=[task]).kickoff()
        handle.uninstall()

        print(f"Tools that actually ran: {RAN}")
        print("What the agent was told:")
        for line in agent.agent_executor.messages[-2]["content"].splitlines():
            if line.startswith("Observation:"):
                print(f"  {line[:110]}")

        audit.flush()
        events = list(reversed(audit.list_events(limit=50).events))
        print(f"\nAudit trail ({len(events)} events):")
        for e in events:
            pii = ",".join(e.pii_fields) or "-"
            detail = e.reason or (e.data.get("step") if e.action == "crewai.step" else "") or ""
            print(
                f"  {e.decision.value:<5} {e.risk_level.value:<8} pii={pii:<6} "
                f"{e.agent_id} {e.action:<24} {detail}"
            )
            if e.reasoning:
                print(f"        why: {e.reasoning}")

        assert "run_sql" not in RAN, "the destructive call must never run"
        assert output.raw.endswith("Done.")
        blocked = [e for e in events if e.decision.value == "block"]
        print(
            f"\nBlocked {len(blocked)} call(s); the crew finished: {output.raw!r}. "
            f"Chain ok: {audit.verify().ok}"
        )


if __name__ == "__main__":
    main()
