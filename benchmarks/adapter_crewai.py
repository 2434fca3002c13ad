"""What `instrument()` adds to a CrewAI tool call in embedded mode, beyond classify.

One tool call as CrewAI drives it: the before-tool hook with a real `ToolCallHookContext` (tool
name, a fresh argument dict, the `CrewStructuredTool`, a real Agent, Task and Crew whose executor
holds the ReAct `AgentAction` — the thought is read from it), a no-op tool, then the after-tool
hook with the tool's result. One call = log the call (classify + decide + queue for the background
writer) and log its result (classify again). The same run times `agentaudit.classify` on exactly
the two inputs the hooks logged, and reports the difference of the medians: the adapter's and the
client's own cost per tool call. Also shown: the native-path variant (call id matched in the
executor's messages); the same path through CrewAI's hook dispatch (`run_before/after_tool_call_
hooks`), next to CrewAI's own cost of dispatching to any hook at all (it emits a telemetry event per
dispatch, with or without AgentAudit); and the hooks alone over a stub client.

    .venv/bin/python benchmarks/adapter_crewai.py [--calls 3000] [--rounds 3]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from importlib.metadata import version
from pathlib import Path
from typing import Any

os.environ.setdefault("CREWAI_DISABLE_TELEMETRY", "true")
os.environ.setdefault("CREWAI_DISABLE_TRACKING", "true")
os.environ.setdefault("OTEL_SDK_DISABLED", "true")
os.environ.setdefault("CREWAI_STORAGE_DIR", tempfile.mkdtemp(prefix="crewai-bench-"))

sys.path.insert(0, str(Path(__file__).parent))
from _machine import StubClient, describe, percentile  # noqa: E402
from crewai import Agent, Crew, Task  # noqa: E402
from crewai.agents.parser import AgentAction  # noqa: E402
from crewai.hooks import ToolCallHookContext  # noqa: E402
from crewai.hooks.tool_hooks import (  # noqa: E402
    run_after_tool_call_hooks,
    run_before_tool_call_hooks,
)
from crewai.llms.base_llm import BaseLLM  # noqa: E402
from crewai.tools import tool  # noqa: E402

from agentaudit import AgentAudit, classify  # noqa: E402
from agentaudit_integrations.crewai import CrewAIInstrumentation, instrument  # noqa: E402

ARGS = {
    "query": "SELECT * FROM customers WHERE email = 'jane@example.com'",
    "database": "production",
}
RAW_RESULT = {"id": 42, "name": "Jane Doe", "email": "jane@example.com", "plan": "pro"}
RESULT_TEXT = str(RAW_RESULT)
THOUGHT = "Thought: The customer requested account information."


class IdleLLM(BaseLLM):
    def call(self, *args: Any, **kwargs: Any) -> str:
        raise AssertionError("the benchmark never calls the model")


@tool("database_query")
def database_query(query: str, database: str) -> str:
    """Query a database."""
    return "unused: the benchmark's no-op stands in for the tool"


def noop_tool(**kwargs: Any) -> dict[str, Any]:
    return RAW_RESULT


class HookPath:
    """CrewAI's per-call sequence around one tool, on a real agent/task/crew and executor."""

    def __init__(self, native: bool) -> None:
        self.agent = Agent(
            role="Support agent",
            goal="Help customers",
            backstory="Handles account questions.",
            llm=IdleLLM(model="idle"),
            tools=[database_query],
        )
        self.task = Task(description="Help Jane", expected_output="a status", agent=self.agent)
        self.crew = Crew(agents=[self.agent], tasks=[self.task])
        self.agent.create_agent_executor(tools=[database_query], task=self.task)
        executor = self.agent.agent_executor
        self.structured = executor.tools[0]
        if native:  # the assistant message CrewAI records before running native tool calls
            executor.state.use_native_tools = True
            executor.state.messages.append(
                {
                    "role": "assistant",
                    "content": None,
                    "tool_calls": [
                        {
                            "id": "call_abc123",
                            "type": "function",
                            "function": {
                                "name": "database_query",
                                "arguments": '{"query": "SELECT * FROM customers WHERE email = '
                                '\'jane@example.com\'", "database": "production"}',
                            },
                        }
                    ],
                }
            )
        else:
            executor.state.current_answer = AgentAction(
                thought=THOUGHT, tool="database_query", tool_input=str(ARGS), text=THOUGHT
            )

    def context(self) -> ToolCallHookContext:  # built by CrewAI for every call, so not timed
        return ToolCallHookContext(
            tool_name="database_query",
            tool_input=dict(ARGS),
            tool=self.structured,
            agent=self.agent,
            task=self.task,
            crew=self.crew,
        )

    def after_context(self, before: ToolCallHookContext, raw: Any) -> ToolCallHookContext:
        return ToolCallHookContext(
            tool_name=before.tool_name,
            tool_input=before.tool_input,
            tool=before.tool,
            agent=self.agent,
            task=self.task,
            crew=self.crew,
            tool_result=RESULT_TEXT,
            raw_tool_result=raw,
        )

    def direct(self, handle: CrewAIInstrumentation) -> Callable[[ToolCallHookContext], None]:
        def call(ctx: ToolCallHookContext) -> None:
            assert handle.before_tool_call(ctx) is None  # allowed
            raw = noop_tool(**ctx.tool_input)
            handle.after_tool_call(self.after_context(ctx, raw))

        return call

    def via_crewai(self) -> Callable[[ToolCallHookContext], None]:
        def call(ctx: ToolCallHookContext) -> None:
            assert run_before_tool_call_hooks(ctx) is False  # not blocked
            raw = noop_tool(**ctx.tool_input)
            run_after_tool_call_hooks(self.after_context(ctx, raw))

        return call


def run_round(
    n: int, native: bool, via_crewai: bool
) -> tuple[list[float], list[float], list[float]]:
    with tempfile.TemporaryDirectory() as tmp:
        audit = AgentAudit(db_path=Path(tmp) / "bench.db")
        handle = instrument(audit, log_steps=False)
        try:
            path = HookPath(native)
            call = path.via_crewai() if via_crewai else path.direct(handle)
            call(path.context())
            audit.flush()
            logged = list(reversed(audit.list_events(limit=2).events))  # [call, result]
            assert [e.action for e in logged] == ["database_query", "database_query.result"]
            if native:
                assert logged[0].context["tool_call_id"] == "call_abc123", logged[0].context
            else:
                assert logged[0].reasoning == THOUGHT.removeprefix("Thought: "), logged[0]
            assert logged[1].pii_fields == ["email"]
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
                call(path.context())
            contexts = [path.context() for _ in range(n)]
            hook, cls, logs = [], [], []
            for ctx in contexts:  # interleaved, so drift and noise hit all three alike
                t0 = time.perf_counter()
                call(ctx)
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
        finally:
            handle.uninstall()
        audit.close()
        with AgentAudit(db_path=Path(tmp) / "bench.db") as check:
            stored = check.get_stats().total_events
            want = 2 * (n + 201) + 2 * n
            assert stored == want, f"{stored} events stored, expected {want}"
        return hook, cls, logs


def adapter_only(n: int) -> list[float]:
    with tempfile.TemporaryDirectory() as tmp, AgentAudit(db_path=Path(tmp) / "s.db") as audit:
        event = audit.log("Support agent", "database_query", ARGS, {}, None, wait=False)
    handle = instrument(StubClient(event), log_steps=False)
    try:
        path = HookPath(native=False)
        call = path.direct(handle)
        for _ in range(200):
            call(path.context())
        contexts = [path.context() for _ in range(n)]
        times = []
        for ctx in contexts:
            t0 = time.perf_counter()
            call(ctx)
            times.append((time.perf_counter() - t0) * 1e6)
    finally:
        handle.uninstall()
    return times


def crewai_dispatch_only(n: int) -> list[float]:
    """CrewAI's own cost of dispatching to any registered hook (it emits a telemetry event per
    dispatch), measured with a do-nothing before/after pair and no AgentAudit at all."""
    from crewai.hooks import InterceptionPoint, register_hook, unregister_hook

    def nothing(ctx: Any) -> None:
        return None

    points = (InterceptionPoint.PRE_TOOL_CALL, InterceptionPoint.POST_TOOL_CALL)
    for point in points:
        register_hook(point, nothing)
    try:
        path = HookPath(native=False)
        call = path.via_crewai()
        for _ in range(200):
            call(path.context())
        contexts = [path.context() for _ in range(n)]
        times = []
        for ctx in contexts:
            t0 = time.perf_counter()
            call(ctx)
            times.append((time.perf_counter() - t0) * 1e6)
    finally:
        for point in points:
            unregister_hook(point, nothing)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--calls", type=int, default=3000)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    print(f"machine: {describe()}; crewai {version('crewai')}")
    variants = [
        ("ReAct path, hooks called directly (the headline)", False, False),
        ("native path (call id matched), hooks called directly", True, False),
        ("ReAct path through CrewAI's hook dispatch", False, True),
    ]
    for label, native, via in variants:
        print(f"-- {label}: call + result logged, 2 events per tool call")
        diffs, own = [], []
        for i in range(args.rounds):
            hook, cls, logs = run_round(args.calls, native, via)
            p50 = statistics.median
            diffs.append(p50(hook) - p50(cls))
            own.append(p50(hook) - p50(logs))
            print(
                f"  round {i + 1}: hook path p50 {p50(hook):.1f} µs p99 {percentile(hook, 0.99):.1f}"
                f" | classify x2 p50 {p50(cls):.1f} p99 {percentile(cls, 0.99):.1f}"
                f" | client log(wait=False) x2 p50 {p50(logs):.1f}"
                f" p99 {percentile(logs, 0.99):.1f} | added beyond classify p50 {diffs[-1]:.1f} µs"
            )
        added = statistics.median(diffs)
        verdict = "OK" if added <= 100 else "OVER BUDGET"
        target = (
            "[includes CrewAI's own dispatch, timed below]"
            if via
            else f"[target <= 100 µs: {verdict}]"
        )
        print(
            f"  added cost per tool call beyond classify: {added:.1f} µs {target}; "
            f"of which the adapter's own code (hook minus the client's log calls): "
            f"{statistics.median(own):.1f} µs"
        )
    dispatch = crewai_dispatch_only(args.calls)
    print(
        f"-- CrewAI's own dispatch to a do-nothing hook pair (no AgentAudit; paid with any hook): "
        f"p50 {statistics.median(dispatch):.1f} µs p99 {percentile(dispatch, 0.99):.1f}"
    )
    stub = adapter_only(args.calls)
    print(
        f"-- the adapter's hooks alone (stub client, 2 logs per call): "
        f"p50 {statistics.median(stub):.1f} µs p99 {percentile(stub, 0.99):.1f}"
    )


if __name__ == "__main__":
    main()
