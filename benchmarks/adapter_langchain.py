"""What `AgentAuditMiddleware` adds to a LangChain tool call in embedded mode, beyond classify.

The hook path is timed as LangChain drives it: `middleware.wrap_tool_call(request, handler)` with
a real `ToolCallRequest` (tool call, agent state with the model's message, `ToolRuntime` with the
run config) and a no-op tool handler. One call = log the call (classify + decide + queue for the
background writer), run the handler, log its result (classify again). The same run times
`agentaudit.classify` on exactly the two inputs the hook logged, and reports the difference of the
medians: the adapter's and client's own cost per tool call.

    .venv/bin/python benchmarks/adapter_langchain.py [--calls 3000] [--rounds 3]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).parent))
from _machine import StubClient, describe, percentile  # noqa: E402
from langchain_core.callbacks import CallbackManager  # noqa: E402
from langchain_core.messages import AIMessage, HumanMessage, ToolMessage  # noqa: E402
from langchain_core.tools import tool  # noqa: E402
from langgraph.prebuilt.tool_node import ToolCallRequest, ToolRuntime  # noqa: E402

from agentaudit import AgentAudit, classify  # noqa: E402
from agentaudit_integrations.langchain import AgentAuditMiddleware  # noqa: E402

CALL = {
    "name": "database_query",
    "args": {
        "query": "SELECT * FROM customers WHERE email = 'jane@example.com'",
        "database": "production",
    },
    "id": "call_abc123",
    "type": "tool_call",
}
RESULT = ToolMessage(
    content='{"id": 42, "name": "Jane Doe", "email": "jane@example.com", "plan": "pro"}',
    tool_call_id=CALL["id"],
    name=CALL["name"],
)


@tool
def database_query(query: str, database: str) -> str:
    """Query a database."""
    return "unused: the benchmark's handler stands in for the tool"


def make_request() -> ToolCallRequest:
    state = {
        "messages": [
            HumanMessage("Show me Jane's account."),
            AIMessage(content="The customer requested account information.", tool_calls=[CALL]),
        ]
    }
    manager = CallbackManager(handlers=[], parent_run_id=uuid.uuid4())
    config: dict[str, Any] = {
        "tags": [],
        "metadata": {
            "lc_agent_name": "support-agent",
            "thread_id": "thread-1",
            "langgraph_step": 2,
            "langgraph_node": "tools",
        },
        "callbacks": manager,
        "configurable": {"thread_id": "thread-1"},
    }
    runtime = ToolRuntime(
        state=state,
        context=None,
        config=config,
        stream_writer=lambda _: None,
        tool_call_id=CALL["id"],
        store=None,
    )
    return ToolCallRequest(tool_call=CALL, tool=database_query, state=state, runtime=runtime)


def handler(request: ToolCallRequest) -> ToolMessage:
    return RESULT


def run_round(n: int, log_results: bool) -> tuple[list[float], list[float], list[float]]:
    with tempfile.TemporaryDirectory() as tmp:
        audit = AgentAudit(db_path=Path(tmp) / "bench.db")
        mw = AgentAuditMiddleware(audit, log_results=log_results)
        per_call = 2 if log_results else 1
        request = make_request()
        mw.wrap_tool_call(request, handler)
        audit.flush()
        logged = list(reversed(audit.list_events(limit=per_call).events))  # [call, result]
        expected = ["database_query", "database_query.result"][:per_call]
        assert [e.action for e in logged] == expected, logged
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
            mw.wrap_tool_call(request, handler)
        hook, cls, logs = [], [], []
        for _ in range(n):  # interleaved, so drift and noise hit all three alike
            t0 = time.perf_counter()
            mw.wrap_tool_call(request, handler)
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


def adapter_only(n: int) -> list[float]:
    with tempfile.TemporaryDirectory() as tmp, AgentAudit(db_path=Path(tmp) / "b.db") as audit:
        event = audit.log("a", "web_search", {"query": "x"})
    mw = AgentAuditMiddleware(StubClient(event))
    request = make_request()
    times = []
    for _ in range(n):
        t0 = time.perf_counter()
        mw.wrap_tool_call(request, handler)
        times.append((time.perf_counter() - t0) * 1e6)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--calls", type=int, default=3000)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    print(f"machine: {describe()}")
    own = adapter_only(args.calls)
    print(
        f"adapter code alone (a client that answers at once; call + result): "
        f"p50 {statistics.median(own):.1f} µs p99 {percentile(own, 0.99):.1f} µs"
    )
    for log_results in (True, False):
        label = "call + result logged (default)" if log_results else "log_results=False"
        n_logs = 2 if log_results else 1
        print(f"-- {label}: {n_logs} event(s) per tool call")
        diffs, own = [], []
        for i in range(args.rounds):
            hook, cls, logs = run_round(args.calls, log_results)
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
            f"[target <= 100 µs: {verdict}]; hook minus the client's own log calls: "
            f"{statistics.median(own):.1f} µs"
        )


if __name__ == "__main__":
    main()
