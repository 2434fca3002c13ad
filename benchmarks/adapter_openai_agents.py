"""What `instrument()` adds to an OpenAI Agents SDK tool call in embedded mode, beyond classify.

The hook path is timed as the SDK drives it for one function-tool call: the agent hook's
`on_llm_end` (remembers the model's text for the call), the input guardrail's `run(...)` with a
real `ToolInputGuardrailData` (a `ToolContext` carrying tool name, call id, JSON arguments, the
`ResponseFunctionToolCall`, the agent and run config), a no-op tool, then the output guardrail's
`run(...)` with the tool's result. One call = log the call (classify + decide + queue for the
background writer) and log its result (classify again). The same run times `agentaudit.classify`
on exactly the two inputs the hooks logged, and reports the difference of the medians: the
adapter's and client's own cost per tool call. A last figure times the same path over a stub
client that answers a ready-made decision at once: the adapter's (and the SDK's guardrail
plumbing's) own share, without the client.

    .venv/bin/python benchmarks/adapter_openai_agents.py [--calls 3000] [--rounds 3]
    .venv-oa/bin/python benchmarks/adapter_openai_agents.py
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).parent))
from _machine import StubClient, describe, percentile  # noqa: E402
from agents import Agent, RunConfig, Usage, function_tool, set_tracing_disabled  # noqa: E402
from agents.items import ModelResponse  # noqa: E402
from agents.tool_context import ToolContext  # noqa: E402
from agents.tool_guardrails import ToolInputGuardrailData, ToolOutputGuardrailData  # noqa: E402
from agents.version import __version__ as sdk_version  # noqa: E402
from openai.types.responses import (  # noqa: E402
    ResponseFunctionToolCall,
    ResponseOutputMessage,
    ResponseOutputText,
)

from agentaudit import AgentAudit, classify  # noqa: E402
from agentaudit_integrations.openai_agents import instrument  # noqa: E402

ARGS = {
    "query": "SELECT * FROM customers WHERE email = 'jane@example.com'",
    "database": "production",
}
RESULT = '{"id": 42, "name": "Jane Doe", "email": "jane@example.com", "plan": "pro"}'
TOOL_CALL = ResponseFunctionToolCall(
    id="fc_abc123",
    call_id="call_abc123",
    type="function_call",
    name="database_query",
    arguments=json.dumps(ARGS),
)
RESPONSE = ModelResponse(
    output=[
        ResponseOutputMessage(
            id="msg_1",
            type="message",
            role="assistant",
            status="completed",
            content=[
                ResponseOutputText(
                    type="output_text",
                    text="The customer requested account information.",
                    annotations=[],
                )
            ],
        ),
        TOOL_CALL,
    ],
    usage=Usage(),
    response_id="resp_1",
)


def database_query(query: str, database: str) -> str:
    """Query a database."""
    return "unused: the benchmark's no-op stands in for the tool"


def noop_tool() -> str:
    return RESULT


class HookPath:
    """The SDK's per-call sequence around one function tool, with fresh ToolContexts."""

    def __init__(self, agent: Agent[Any]) -> None:
        self.agent = agent
        self.tool = agent.tools[0]
        self.run_config = RunConfig(tracing_disabled=True, group_id="thread-1")

    def context(self) -> ToolContext[Any]:  # built by the SDK for every call, so not timed
        return ToolContext(
            context=None,
            tool_name=TOOL_CALL.name,
            tool_call_id=TOOL_CALL.call_id,
            tool_arguments=TOOL_CALL.arguments,
            tool_call=TOOL_CALL,
            agent=self.agent,
            run_config=self.run_config,
        )

    async def call(self, ctx: ToolContext[Any]) -> None:
        await self.agent.hooks.on_llm_end(ctx, self.agent, RESPONSE)
        for guardrail in self.tool.tool_input_guardrails:
            out = await guardrail.run(ToolInputGuardrailData(context=ctx, agent=self.agent))
            assert out.behavior["type"] == "allow", out
        result = noop_tool()
        for guardrail in self.tool.tool_output_guardrails:
            await guardrail.run(
                ToolOutputGuardrailData(context=ctx, agent=self.agent, output=result)
            )


async def run_round(n: int, log_results: bool) -> tuple[list[float], list[float], list[float]]:
    with tempfile.TemporaryDirectory() as tmp:
        audit = AgentAudit(db_path=Path(tmp) / "bench.db")
        # a fresh tool per round: instrument() leaves an already-guarded tool as it is
        agent = Agent(name="support-agent", tools=[function_tool(database_query)])
        instrument(agent, audit, log_results=log_results)
        path = HookPath(agent)
        per_call = 2 if log_results else 1
        await path.call(path.context())
        audit.flush()
        logged = list(reversed(audit.list_events(limit=per_call).events))  # [call, result]
        expected = ["database_query", "database_query.result"][:per_call]
        assert [e.action for e in logged] == expected, logged
        assert logged[0].reasoning == "The customer requested account information."
        inputs = [
            dict(
                agent_id=e.agent_id,
                action=e.action,
                data=e.data,
                context=e.context,
                reasoning=e.reasoning,
            )
            for e in logged
        ]
        for _ in range(200):  # warm-up
            await path.call(path.context())
        contexts = [path.context() for _ in range(n)]
        hook, cls, logs = [], [], []
        for ctx in contexts:  # interleaved, so drift and noise hit all three alike
            t0 = time.perf_counter()
            await path.call(ctx)
            t1 = time.perf_counter()
            for item in inputs:
                classify(**item)
            t2 = time.perf_counter()
            for item in inputs:  # the client alone, same events: where the time goes
                audit.log(**item, wait=False)
            t3 = time.perf_counter()
            hook.append((t1 - t0) * 1e6)
            cls.append((t2 - t1) * 1e6)
            logs.append((t3 - t2) * 1e6)
        audit.close()
        with AgentAudit(db_path=Path(tmp) / "bench.db") as check:
            stored = check.get_stats().total_events
            want = per_call * (n + 201) + per_call * n
            assert stored == want, f"{stored} events stored, expected {want}"
        return hook, cls, logs


async def adapter_only(n: int) -> list[float]:
    with tempfile.TemporaryDirectory() as tmp, AgentAudit(db_path=Path(tmp) / "s.db") as audit:
        event = audit.log("support-agent", "database_query", ARGS, {}, None, wait=False)
    agent = Agent(name="support-agent", tools=[function_tool(database_query)])
    instrument(agent, StubClient(event))
    path = HookPath(agent)
    for _ in range(200):
        await path.call(path.context())
    contexts = [path.context() for _ in range(n)]
    times = []
    for ctx in contexts:
        t0 = time.perf_counter()
        await path.call(ctx)
        times.append((time.perf_counter() - t0) * 1e6)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--calls", type=int, default=3000)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    set_tracing_disabled(True)
    print(f"machine: {describe()}; openai-agents {sdk_version}")
    for log_results in (True, False):
        label = "call + result logged (default)" if log_results else "log_results=False"
        n_logs = 2 if log_results else 1
        print(f"-- {label}: {n_logs} event(s) per tool call")
        diffs, own = [], []
        for i in range(args.rounds):
            hook, cls, logs = asyncio.run(run_round(args.calls, log_results))
            p50 = statistics.median
            diffs.append(p50(hook) - p50(cls))
            own.append(p50(hook) - p50(logs))
            print(
                f"  round {i + 1}: hook path p50 {p50(hook):.1f} µs p99 {percentile(hook, 0.99):.1f}"
                f" | classify x{n_logs} p50 {p50(cls):.1f} p99 {percentile(cls, 0.99):.1f}"
                f" | client log(wait=False) x{n_logs} p50 {p50(logs):.1f}"
                f" p99 {percentile(logs, 0.99):.1f} | added beyond classify p50 {diffs[-1]:.1f} µs"
            )
        added = statistics.median(diffs)
        verdict = "OK" if added <= 100 else "OVER BUDGET"
        print(
            f"  added cost per tool call beyond classify: {added:.1f} µs "
            f"[target <= 100 µs: {verdict}]; of which the adapter's own code "
            f"(hook minus the client's log calls): {statistics.median(own):.1f} µs"
        )
    stub = asyncio.run(adapter_only(args.calls))
    print(
        f"-- adapter and SDK guardrail plumbing alone (stub client, 2 logs per call): "
        f"p50 {statistics.median(stub):.1f} µs p99 {percentile(stub, 0.99):.1f}"
    )


if __name__ == "__main__":
    main()
