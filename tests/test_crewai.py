"""CrewAI adapter, offline: real crews and agents driven by scripted fake models.

Every veto test proves the blocked tool never ran (its function records each run), the crew
finished, the model read our message, and the trail holds the block and the linked results.
"""

from __future__ import annotations

import asyncio
import json
import threading
from collections.abc import Iterator
from typing import Any

import pytest
from crewai import Agent, Crew, Task
from crewai.hooks import HookAborted, InterceptionPoint, get_hooks, register_hook, unregister_hook
from crewai.hooks.dispatch import register_scoped, scoped_hooks
from crewai.llms.base_llm import BaseLLM
from crewai.tools import tool
from pydantic import Field

from agentaudit import ActionBlocked, AgentAudit, AsyncAgentAudit, ConfigurationError, Event
from agentaudit_integrations import BLOCK_PREFIX
from agentaudit_integrations import crewai as adapter
from agentaudit_integrations.crewai import CrewAIInstrumentation, audited, instrument

RAN: list[tuple[str, str]] = []
SEARCH_THOUGHT = "Let me search the docs first."
LOOKUP_THOUGHT = "I need the customer's record."
SQL_THOUGHT = "The old table must go."
DROP = "DROP TABLE customers"


# -- three tools: harmless, customer PII, destructive --------------------------------------------
@tool("web_search")
def web_search(query: str) -> str:
    """Search the web."""
    RAN.append(("web_search", query))
    return f"3 results for {query}"


@tool("lookup_customer")
def lookup_customer(customer_id: str) -> dict[str, str]:
    """Look a customer up by id."""
    RAN.append(("lookup_customer", customer_id))
    return {"customer_id": customer_id, "name": "Jane Doe", "email": "jane@example.com"}


@tool("run_sql")
def run_sql(query: str) -> str:
    """Run a SQL statement on the production database."""
    RAN.append(("run_sql", query))
    return "statement executed"


@tool("flaky_report")
def flaky_report(name: str) -> str:
    """Build a report (fails)."""
    RAN.append(("flaky_report", name))
    raise ValueError("report backend is down")


@tool("quota_report")
def quota_report(name: str) -> Any:
    """Build a report (declares its own failure)."""
    from crewai.tools.tool_failure import ToolFailure, ToolFailureReason

    RAN.append(("quota_report", name))
    return ToolFailure(message="quota exceeded", reason=ToolFailureReason.TOOL_REPORTED)


TOOLS = [web_search, lookup_customer, run_sql]


# -- scripted models -----------------------------------------------------------------------------
class ScriptedLLM(BaseLLM):
    """Answers each call with the next scripted turn (text: CrewAI's ReAct loop)."""

    turns: list[Any] = Field(default_factory=list)
    seen: list[list[dict[str, Any]]] = Field(default_factory=list)

    def call(self, messages: Any, tools: Any = None, **kwargs: Any) -> Any:
        if isinstance(messages, list):
            self.seen.append([dict(m) for m in messages])
        if not self.turns:
            raise AssertionError("the fake model ran out of scripted turns")
        return self.turns.pop(0)

    async def acall(self, messages: Any, tools: Any = None, **kwargs: Any) -> Any:
        return self.call(messages, tools, **kwargs)

    def tool_outputs(self) -> list[str]:
        """What the model was shown as tool results, in the last conversation it was sent."""
        out = []
        for message in self.seen[-1] if self.seen else []:
            content = message.get("content")
            if message.get("role") == "tool":
                out.append(str(content))
            elif (
                message.get("role") == "assistant"
                and isinstance(content, str)
                and "\nObservation: " in content
            ):
                out.append(content.split("\nObservation: ", 1)[1].strip())
        return out


class NativeLLM(ScriptedLLM):
    """Answers with OpenAI-style tool calls: CrewAI's native function-calling path."""

    def supports_function_calling(self) -> bool:
        return True


def react(thought: str, tool_name: str, args: dict[str, Any]) -> str:
    return f"Thought: {thought}\nAction: {tool_name}\nAction Input: {json.dumps(args)}"


def tool_call(call_id: str, name: str, args: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": call_id,
        "type": "function",
        "function": {"name": name, "arguments": json.dumps(args)},
    }


FINAL_REACT = (
    "Thought: I now know the final answer\nFinal Answer: Cleanup done; the drop was refused."
)
FINAL_NATIVE = "All done."


def react_turns(sql: str = DROP) -> list[Any]:
    return [
        react(SEARCH_THOUGHT, "web_search", {"query": "crewai hooks"}),
        react(LOOKUP_THOUGHT, "lookup_customer", {"customer_id": "42"}),
        react(SQL_THOUGHT, "run_sql", {"query": sql}),
        FINAL_REACT,
    ]


def native_turns(sql: str = DROP) -> list[Any]:
    """All three calls in one turn: CrewAI runs them on parallel threads."""
    return [
        [
            tool_call("call_1", "web_search", {"query": "crewai hooks"}),
            tool_call("call_2", "lookup_customer", {"customer_id": "42"}),
            tool_call("call_3", "run_sql", {"query": sql}),
        ],
        FINAL_NATIVE,
    ]


def model(path: str, turns: list[Any] | None = None) -> ScriptedLLM:
    if path == "react":
        return ScriptedLLM(model="fake-react", turns=turns or react_turns())
    return NativeLLM(model="fake-native", turns=turns or native_turns())


def ops_agent(llm: ScriptedLLM, tools: list[Any] | None = None, role: str = "Ops") -> Agent:
    return Agent(
        role=role,
        goal="Keep the customer database tidy",
        backstory="A careful database operator.",
        llm=llm,
        tools=tools if tools is not None else TOOLS,
        max_iter=6,
    )


def crew_of(agent: Agent, description: str = "Clean up the customers table") -> Crew:
    task = Task(description=description, expected_output="a status line", agent=agent)
    return Crew(agents=[agent], tasks=[task])


def kick(agent: Agent, runner: str) -> str:
    """Run the agent's work with one of CrewAI's entry points; the final text."""
    if runner == "kickoff":
        return crew_of(agent).kickoff().raw
    if runner == "akickoff":
        return asyncio.run(crew_of(agent).akickoff()).raw
    return agent.kickoff("Clean up the customers table").raw


# -- reading the trail ---------------------------------------------------------------------------
def trail(audit: AgentAudit) -> list[Event]:
    audit.flush()
    return list(reversed(audit.list_events(limit=200).events))


def ran(name: str | None = None) -> list[str]:
    return [arg for tool_name, arg in RAN if name is None or tool_name == name]


def ran_tools() -> list[str]:
    return [tool_name for tool_name, _ in RAN]


def assert_three_tool_trail(
    events: list[Event], path: str, runner: str, agent: str = "Ops", ordered: bool = True
) -> None:
    """The trail of one three-tool run: steps, calls, linked results, the block, the task."""
    calls = [e for e in events if not e.action.startswith("crewai.")]
    by_action = {e.action: e for e in calls}
    assert sorted(by_action) == [
        "lookup_customer",
        "lookup_customer.result",
        "run_sql",
        "web_search",
        "web_search.result",
    ]
    block = by_action["run_sql"]
    assert block.decision == "block" and block.risk_level == "critical"
    assert block.data == {"query": DROP}
    assert block.agent_id == agent
    ctx = block.context
    assert ctx["framework"] == "crewai" and ctx["agent_role"] == "Ops"
    assert ctx["agent_name"] == "Ops" and ctx["crewai_agent_id"]
    if runner == "agent_kickoff":
        assert "crew_id" not in ctx and "task_id" not in ctx
    else:
        assert ctx["crew_id"] and ctx["task_id"] and ctx["task_name"].startswith("Clean up")
    lookup_call = by_action["lookup_customer"]
    lookup = by_action["lookup_customer.result"]
    assert lookup_call.decision == "allow"
    assert lookup.pii_detected and lookup.pii_fields == ["email"]
    assert lookup.data["result"]["email"] == "jane@example.com"
    assert lookup.context["call_event_id"] == lookup_call.id
    search_call = by_action["web_search"]
    assert search_call.decision == "allow" and search_call.risk_level == "low"
    assert by_action["web_search.result"].data == {"result": "3 results for crewai hooks"}
    assert by_action["web_search.result"].context["call_event_id"] == search_call.id
    if path == "react":
        assert block.reasoning == SQL_THOUGHT
        assert lookup_call.reasoning == LOOKUP_THOUGHT
        assert search_call.reasoning == SEARCH_THOUGHT
    else:  # CrewAI passes the model's call ids along on the native path
        assert block.context["tool_call_id"] == "call_3"
        assert lookup.context["tool_call_id"] == lookup_call.context["tool_call_id"] == "call_2"
    steps = [e for e in events if e.action == "crewai.step"]
    tasks = [e for e in events if e.action == "crewai.task"]
    if path == "react":
        assert [(s.data["step"], s.data.get("tool")) for s in steps] == [
            ("tool_call", "web_search"),
            ("tool_call", "lookup_customer"),
            ("tool_call", "run_sql"),
            ("final_answer", None),
        ]
        assert [s.reasoning for s in steps[:3]] == [SEARCH_THOUGHT, LOOKUP_THOUGHT, SQL_THOUGHT]
        if ordered:  # the trail reads as the crew worked
            assert [e.action for e in events if e.action != "crewai.task"] == [
                "crewai.step",
                "web_search",
                "web_search.result",
                "crewai.step",
                "lookup_customer",
                "lookup_customer.result",
                "crewai.step",
                "run_sql",
                "crewai.step",
            ]
    else:  # native tool-call turns never reach CrewAI's model hooks; the answer does
        assert [s.data["step"] for s in steps] == ["final_answer"]
    assert all(s.decision == "allow" and s.agent_id == agent for s in steps)
    if runner == "agent_kickoff":
        assert tasks == []
    else:
        assert len(tasks) == 1 and tasks[0].data["task"] == "Clean up the customers table"
        assert tasks[0].data["output"] in (FINAL_NATIVE, "Cleanup done; the drop was refused.")
        if ordered:
            assert events[-1].action == "crewai.task"


def our_hooks_in_crewai() -> list[Any]:
    return [
        hook
        for point in InterceptionPoint
        for hook in get_hooks(point)
        if isinstance(getattr(hook, "__self__", None), CrewAIInstrumentation)
    ]


@pytest.fixture(autouse=True)
def _clean() -> Iterator[None]:
    RAN.clear()
    yield
    leaked = our_hooks_in_crewai()
    for hook in leaked:  # keep the next test clean, then fail this one
        hook.__self__.uninstall()
    assert not leaked, "a test left AgentAudit hooks installed"


# -- the veto, on both tool paths, under every entry point ---------------------------------------
@pytest.mark.parametrize("runner", ["kickoff", "akickoff", "agent_kickoff"])
@pytest.mark.parametrize("path", ["react", "native"])
def test_blocked_tool_never_runs_and_the_crew_finishes(
    audit: AgentAudit, path: str, runner: str
) -> None:
    llm = model(path)
    with instrument(audit):
        output = kick(ops_agent(llm), runner)
    assert sorted(ran_tools()) == ["lookup_customer", "web_search"]  # run_sql never ran
    assert output == (FINAL_NATIVE if path == "native" else "Cleanup done; the drop was refused.")
    shown = llm.tool_outputs()
    assert any(s.startswith(BLOCK_PREFIX) and "critical" in s for s in shown), shown
    assert not any("Tool execution blocked by hook" in s for s in shown)
    assert_three_tool_trail(trail(audit), path, runner)


@pytest.mark.parametrize("runner", ["kickoff", "akickoff", "agent_kickoff"])
@pytest.mark.parametrize("path", ["react", "native"])
def test_on_block_raise_ends_the_run_with_action_blocked(
    audit: AgentAudit, path: str, runner: str
) -> None:
    llm = model(path)
    with instrument(audit, on_block="raise"), pytest.raises(ActionBlocked) as info:
        kick(ops_agent(llm), runner)
    assert "run_sql" not in ran_tools()
    assert isinstance(info.value, HookAborted)  # how it gets through CrewAI
    event = info.value.event
    assert event.action == "run_sql" and event.decision == "block"
    assert info.value.reason == event.reason and "critical" in str(info.value)
    assert llm.turns == [FINAL_NATIVE if path == "native" else FINAL_REACT]  # never asked again
    stored = [e for e in trail(audit) if e.action == "run_sql"]
    assert [e.id for e in stored] == [event.id]


# -- scope ---------------------------------------------------------------------------------------
def test_audited_covers_the_run_inside_the_block_only(audit: AgentAudit) -> None:
    with audited(audit) as handle:
        assert handle.installed and our_hooks_in_crewai() == []  # scoped, not global
        crew_of(ops_agent(model("react"))).kickoff()
    assert not handle.installed
    assert "run_sql" not in ran_tools()
    events = trail(audit)
    assert_three_tool_trail(events, "react", "kickoff")
    run_ids = {e.context["run_id"] for e in events}
    assert len(run_ids) == 1 and len(run_ids.pop()) == 32
    RAN.clear()
    crew_of(ops_agent(model("react"))).kickoff()  # outside the block: nothing audits it
    assert ran("run_sql") == [DROP]
    assert len(trail(audit)) == len(events)


def test_audited_covers_akickoff_and_keeps_an_enclosing_scope(audit: AgentAudit) -> None:
    seen: list[str] = []
    with scoped_hooks():
        register_scoped(InterceptionPoint.PRE_TOOL_CALL, lambda ctx: seen.append(ctx.tool_name))
        with audited(audit, run_id="run-7"):
            asyncio.run(crew_of(ops_agent(model("native"))).akickoff())
    assert sorted(seen) == ["lookup_customer", "run_sql", "web_search"]
    assert sorted(ran_tools()) == ["lookup_customer", "web_search"]
    events = trail(audit)
    assert {e.context["run_id"] for e in events} == {"run-7"}
    assert_three_tool_trail(events, "native", "akickoff")


def test_uninstall_removes_the_hooks(audit: AgentAudit) -> None:
    handle = instrument(audit)
    assert len(our_hooks_in_crewai()) == 5
    agent = ops_agent(model("react"))
    crew_of(agent).kickoff()
    logged = len(trail(audit))
    handle.uninstall()
    handle.uninstall()  # idempotent
    assert our_hooks_in_crewai() == [] and not handle.installed
    # the same agent again: its executor still holds a copy of the model hook, which is inert
    agent.llm.turns = react_turns()
    crew_of(agent).kickoff()
    assert ran("run_sql") == [DROP]
    assert len(trail(audit)) == logged


# -- concurrency ---------------------------------------------------------------------------------
def test_eight_agents_call_tools_at_once(audit: AgentAudit) -> None:
    with instrument(audit):
        eight_agents_at_once(audit)


def eight_agents_at_once(audit: AgentAudit) -> None:
    """8 crews on 8 threads, each agent making a PII lookup and a destructive call in parallel."""
    n = 8
    llms = [
        NativeLLM(
            model=f"fake-{i}",
            turns=[
                [
                    tool_call(f"look_{i}", "lookup_customer", {"customer_id": f"c{i}"}),
                    tool_call(f"drop_{i}", "run_sql", {"query": f"DROP TABLE customers_{i}"}),
                ],
                f"agent {i} done",
            ],
        )
        for i in range(n)
    ]
    crews = [crew_of(ops_agent(llms[i], role=f"Ops {i}")) for i in range(n)]
    barrier = threading.Barrier(n)
    outputs: dict[int, str] = {}
    errors: list[BaseException] = []

    def work(i: int) -> None:
        try:
            barrier.wait()
            outputs[i] = crews[i].kickoff().raw
        except BaseException as exc:  # reported below
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert not errors, errors
    assert outputs == {i: f"agent {i} done" for i in range(n)}
    assert ran("run_sql") == []
    assert sorted(ran("lookup_customer")) == [f"c{i}" for i in range(n)]
    for llm in llms:
        shown = llm.tool_outputs()
        assert sum(s.startswith(BLOCK_PREFIX) for s in shown) == 1, shown
    events = trail(audit)
    for i in range(n):
        mine = [e for e in events if e.agent_id == f"Ops {i}"]
        by_action = {e.action: e for e in mine if not e.action.startswith("crewai.")}
        assert sorted(by_action) == ["lookup_customer", "lookup_customer.result", "run_sql"]
        assert by_action["run_sql"].decision == "block"
        assert by_action["run_sql"].data == {"query": f"DROP TABLE customers_{i}"}
        assert by_action["run_sql"].context["tool_call_id"] == f"drop_{i}"
        result = by_action["lookup_customer.result"]
        assert result.data["result"]["customer_id"] == f"c{i}"
        assert result.context["call_event_id"] == by_action["lookup_customer"].id
        assert result.context["tool_call_id"] == f"look_{i}"


def test_eight_parallel_calls_in_one_turn_stay_linked(audit: AgentAudit) -> None:
    calls = []
    for i in range(4):
        calls.append(tool_call(f"l{i}", "lookup_customer", {"customer_id": f"c{i}"}))
        calls.append(tool_call(f"s{i}", "run_sql", {"query": f"DROP TABLE t{i}"}))
    llm = NativeLLM(model="fake", turns=[calls, "done"])
    with instrument(audit):
        assert crew_of(ops_agent(llm)).kickoff().raw == "done"
    assert ran("run_sql") == [] and sorted(ran("lookup_customer")) == [f"c{i}" for i in range(4)]
    events = {e.id: e for e in trail(audit)}
    results = [e for e in events.values() if e.action == "lookup_customer.result"]
    assert len(results) == 4
    for result in results:
        call_event = events[result.context["call_event_id"]]
        assert call_event.data["customer_id"] == result.data["result"]["customer_id"]
        assert call_event.context["tool_call_id"] == result.context["tool_call_id"]
    blocks = [e for e in events.values() if e.decision == "block"]
    assert sorted(e.context["tool_call_id"] for e in blocks) == ["s0", "s1", "s2", "s3"]


# -- failures: ours, the client's, the tool's ----------------------------------------------------
class BrokenAudit:
    """A client whose every call fails (as a full disk or a bug would)."""

    mode = "embedded"

    def __init__(self, fail_mode: str) -> None:
        self.fail_mode = fail_mode

    def log(self, *args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("disk on fire")


@pytest.mark.parametrize("path", ["react", "native"])
def test_fail_closed_when_the_client_fails(path: str) -> None:
    llm = model(path)
    with instrument(BrokenAudit("closed")):
        crew_of(ops_agent(llm)).kickoff()
    assert RAN == []
    shown = llm.tool_outputs()
    assert len(shown) == 3
    assert all(
        s.startswith(BLOCK_PREFIX + "audit unavailable: RuntimeError: disk on fire") for s in shown
    )


def test_fail_open_when_the_client_fails() -> None:
    with instrument(BrokenAudit("open")):
        crew_of(ops_agent(model("native"))).kickoff()
    assert sorted(ran_tools()) == ["lookup_customer", "run_sql", "web_search"]


def test_an_error_in_the_adapter_itself_goes_to_fail_mode(
    audit: AgentAudit, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: Any) -> Any:
        raise KeyError("surprise")

    monkeypatch.setattr(adapter, "_ids", broken)  # CrewAI would swallow this and run the tool
    llm = model("react")
    with instrument(audit):
        crew_of(ops_agent(llm)).kickoff()
    assert RAN == []
    assert all("audit unavailable: KeyError" in s for s in llm.tool_outputs())


@pytest.mark.parametrize("path", ["react", "native"])
def test_tool_errors_are_logged_as_errors(audit: AgentAudit, path: str) -> None:
    args = {"name": "weekly"}
    turns: list[Any] = (
        [react("Build it.", "flaky_report", args), FINAL_REACT]
        if path == "react"
        else [[tool_call("call_9", "flaky_report", args)], FINAL_NATIVE]
    )
    with instrument(audit):
        crew_of(ops_agent(model(path, turns), tools=[flaky_report])).kickoff()
    assert ran("flaky_report")  # CrewAI's ReAct path retries a failing tool
    events = trail(audit)
    call_event = next(e for e in events if e.action == "flaky_report")
    [error] = [e for e in events if e.action == "flaky_report.error"]
    assert "report backend is down" in error.data["error"]
    assert error.context["call_event_id"] == call_event.id
    assert not any(e.action == "flaky_report.result" for e in events)


@pytest.mark.parametrize("path", ["react", "native"])
def test_a_failure_the_tool_declares_is_logged_as_an_error(audit: AgentAudit, path: str) -> None:
    args = {"name": "weekly"}
    turns: list[Any] = (
        [react("Build it.", "quota_report", args), FINAL_REACT]
        if path == "react"
        else [[tool_call("call_8", "quota_report", args)], FINAL_NATIVE]
    )
    with instrument(audit):
        crew_of(ops_agent(model(path, turns), tools=[quota_report])).kickoff()
    assert ran("quota_report") == ["weekly"]
    [error] = [e for e in trail(audit) if e.action.startswith("quota_report.")]
    assert error.action == "quota_report.error" and "quota exceeded" in error.data["error"]


def test_a_call_another_hook_blocks_is_logged_as_not_run(audit: AgentAudit) -> None:
    def no_search(ctx: Any) -> bool | None:
        return False if ctx.tool_name == "web_search" else None

    with instrument(audit):
        register_hook(InterceptionPoint.PRE_TOOL_CALL, no_search)  # runs after ours
        try:
            crew_of(ops_agent(model("react"))).kickoff()
        finally:
            unregister_hook(InterceptionPoint.PRE_TOOL_CALL, no_search)
    assert ran_tools() == ["lookup_customer"]
    [error] = [e for e in trail(audit) if e.action == "web_search.error"]
    assert "blocked by another before_tool_call hook" in error.data["error"]


# -- options and bad input -----------------------------------------------------------------------
def test_agent_id_context_and_switches(audit: AgentAudit) -> None:
    with instrument(
        audit,
        agent_id="db-crew",
        context={"session_id": "s-1"},
        log_results=False,
        log_steps=False,
    ):
        crew_of(ops_agent(model("react"))).kickoff()
    events = trail(audit)
    assert [e.action for e in events] == ["web_search", "lookup_customer", "run_sql"]
    assert {e.agent_id for e in events} == {"db-crew"}
    assert {e.context["session_id"] for e in events} == {"s-1"}
    assert {e.context["agent_name"] for e in events} == {"Ops"}
    assert len(audit.list_events(session_id="s-1").events) == 3


def test_bad_arguments_are_named(audit: AgentAudit, db_path: Any) -> None:
    with pytest.raises(TypeError, match="AgentAudit client"):
        instrument(object())
    with pytest.raises(ValueError, match="on_block"):
        instrument(audit, on_block="ignore")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="context must be a dict"):
        instrument(audit, context="s-1")  # type: ignore[arg-type]
    with pytest.raises(ConfigurationError, match="AsyncAgentAudit"):
        instrument(AsyncAgentAudit(db_path=db_path.with_name("async.db")))
    assert our_hooks_in_crewai() == []


def test_a_second_instrumentation_is_warned_about(
    audit: AgentAudit, caplog: pytest.LogCaptureFixture
) -> None:
    with instrument(audit), instrument(audit):
        pass
    assert "another AgentAudit CrewAI instrumentation is active" in caplog.text


# -- guarding by meaning (issue 23): the argument's name and the tool's name do not matter -------
@tool("housekeeping")
def housekeeping(cmdline: str) -> str:
    """Run a maintenance step."""
    RAN.append(("housekeeping", cmdline))
    return "done"


@pytest.mark.parametrize("path", ["react", "native"])
def test_a_destructive_command_under_any_argument_name_is_vetoed(
    audit: AgentAudit, path: str
) -> None:
    args = {"cmdline": "rm -rf /srv/data"}
    turns: list[Any] = (
        [react("Tidy up.", "housekeeping", args), FINAL_REACT]
        if path == "react"
        else [[tool_call("call_h", "housekeeping", args)], FINAL_NATIVE]
    )
    llm = model(path, turns)
    with instrument(audit):
        kick(ops_agent(llm, [housekeeping]), "kickoff")
    assert ran_tools() == []  # the tool never ran
    shown = llm.tool_outputs()
    assert any(s.startswith(BLOCK_PREFIX) and "rm -rf /srv/data" in s for s in shown), shown
    assert [(e.action, e.decision) for e in trail(audit) if e.action == "housekeeping"] == [
        ("housekeeping", "block")
    ]
