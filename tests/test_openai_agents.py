"""OpenAI Agents SDK adapter, offline: a scripted fake Model, real Runner, real embedded audit.

Runs in both venvs (`.venv`: openai-agents 0.20.x; `.venv-oa`: the newest 0.24.x).
"""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import pytest
from agents import (
    Agent,
    AgentHooks,
    FunctionTool,
    Handoff,
    Runner,
    ToolGuardrailFunctionOutput,
    ToolInputGuardrailTripwireTriggered,
    Usage,
    WebSearchTool,
    function_tool,
    handoff,
    set_tracing_disabled,
    tool_input_guardrail,
)
from agents.items import ModelResponse
from agents.mcp import MCPServer
from agents.models.interface import Model
from mcp.types import CallToolResult, TextContent
from mcp.types import Tool as MCPTool
from openai.types.responses import (
    Response,
    ResponseCompletedEvent,
    ResponseFunctionToolCall,
    ResponseOutputMessage,
    ResponseOutputText,
)

from agentaudit import AgentAudit, AsyncAgentAudit
from agentaudit.models import Event
from agentaudit_integrations import BLOCK_PREFIX
from agentaudit_integrations.openai_agents import (
    audit_guardrails,
    blocked_event,
    instrument,
)

pytestmark = pytest.mark.openai_agents
set_tracing_disabled(True)  # never export traces (and never try the network)

REPO = Path(__file__).resolve().parent.parent
RAN: list[tuple[str, Any]] = []
SEARCH_TEXT = "Let me check the weather first."
LOOKUP_TEXT = "The customer asked for their record."
SQL_TEXT = "The table looks stale, I will remove it."


@pytest.fixture(autouse=True)
def _clear_ran() -> Iterator[None]:
    RAN.clear()
    yield
    RAN.clear()


# -- a scripted model ----------------------------------------------------------------------------
class FakeModel(Model):
    """Answers each turn with the next scripted list of output items; records what it was sent."""

    def __init__(self, turns: list[list[Any]]) -> None:
        self.turns = list(turns)
        self.inputs: list[Any] = []

    def _next(self, input: Any) -> list[Any]:
        self.inputs.append(input)
        if not self.turns:
            raise AssertionError("the fake model ran out of scripted turns")
        return self.turns.pop(0)

    async def get_response(self, system_instructions: Any, input: Any, *a: Any, **kw: Any) -> Any:
        return ModelResponse(output=self._next(input), usage=Usage(), response_id=None)

    async def stream_response(
        self, system_instructions: Any, input: Any, *a: Any, **kw: Any
    ) -> AsyncIterator[Any]:
        response = Response(
            id="resp_fake",
            created_at=time.time(),
            model="fake",
            object="response",
            output=self._next(input),
            parallel_tool_calls=True,
            tool_choice="auto",
            tools=[],
        )
        yield ResponseCompletedEvent(
            type="response.completed", response=response, sequence_number=0
        )

    def outputs_sent(self) -> dict[str, str]:
        """The function_call_output items the model was given, by call id."""
        return {
            item["call_id"]: item["output"]
            for turn in self.inputs
            if isinstance(turn, list)
            for item in turn
            if isinstance(item, dict) and item.get("type") == "function_call_output"
        }


def call(name: str, args: dict[str, Any], call_id: str) -> ResponseFunctionToolCall:
    return ResponseFunctionToolCall(
        id=f"fc_{call_id}",
        call_id=call_id,
        type="function_call",
        name=name,
        arguments=json.dumps(args),
    )


def say(text: str) -> ResponseOutputMessage:
    return ResponseOutputMessage(
        id="msg_fake",
        type="message",
        role="assistant",
        status="completed",
        content=[ResponseOutputText(type="output_text", text=text, annotations=[])],
    )


# -- three tools: harmless, customer PII, destructive --------------------------------------------
def web_search_impl(query: str) -> str:
    """Search the web."""
    RAN.append(("web_search", query))
    return f"3 results for {query}"


def lookup_customer_impl(customer_id: str) -> str:
    """Look a customer up."""
    RAN.append(("lookup_customer", customer_id))
    return "jane@example.com"


def run_sql_impl(query: str) -> str:
    """Run a SQL statement."""
    RAN.append(("run_sql", query))
    return "done"


def _fresh(fn: Any) -> FunctionTool:
    """A new FunctionTool per test: instrument() mutates tools, so tests must not share them."""
    return function_tool(fn, name_override=fn.__name__.removesuffix("_impl"))


def new_tools() -> list[FunctionTool]:
    return [_fresh(web_search_impl), _fresh(lookup_customer_impl), _fresh(run_sql_impl)]


def three_tool_turns(sql_tool: str = "run_sql") -> list[list[Any]]:
    """One turn per tool, each with the model's text, then a final answer."""
    return [
        [say(SEARCH_TEXT), call("web_search", {"query": "weather"}, "c1")],
        [say(LOOKUP_TEXT), call("lookup_customer", {"customer_id": "42"}, "c2")],
        [say(SQL_TEXT), call(sql_tool, {"query": "DROP TABLE customers"}, "c3")],
        [say("All done.")],
    ]


def trail(audit: AgentAudit) -> list[Event]:
    """The tool calls and results logged, oldest first (a policy set by the test is a chained
    `policy_change` event of its own: not a call)."""
    audit.flush()
    events = reversed(audit.list_events(limit=200).events)
    return [e for e in events if e.action != "policy_change"]


def ran_tools() -> list[str]:
    return [name for name, _ in RAN]


def assert_three_tool_trail(events: list[Event], agent: str) -> None:
    by_action = {e.action: e for e in events}
    block = by_action["run_sql"]
    assert block.decision == "block" and block.risk_level == "critical"
    assert block.reasoning == SQL_TEXT
    assert block.context["tool_call_id"] == "c3"
    assert block.context["framework"] == "openai-agents"
    assert block.agent_id == agent and block.context["agent_name"] == agent
    assert block.data == {"query": "DROP TABLE customers"}
    assert "run_sql.result" not in by_action  # it never ran
    lookup = by_action["lookup_customer.result"]
    assert lookup.pii_detected and lookup.pii_fields == ["email"]
    assert lookup.data == {"result": "jane@example.com"}
    call_event = by_action["lookup_customer"]
    assert call_event.decision == "allow" and call_event.reasoning == LOOKUP_TEXT
    assert lookup.context["call_event_id"] == call_event.id
    assert lookup.context["tool_call_id"] == call_event.context["tool_call_id"] == "c2"
    search = by_action["web_search"]
    assert search.decision == "allow" and search.risk_level == "low"
    assert search.reasoning == SEARCH_TEXT
    assert by_action["web_search.result"].data == {"result": "3 results for weather"}
    # sorted: a remote client sends results in the background, so they may land out of order
    assert sorted(e.action for e in events) == [
        "lookup_customer",
        "lookup_customer.result",
        "run_sql",
        "web_search",
        "web_search.result",
    ]


def support_agent(model: FakeModel, name: str = "support-bot") -> Agent[Any]:
    return Agent(name=name, instructions="Help.", model=model, tools=new_tools())


async def run(agent: Agent[Any], mode: str, **kwargs: Any) -> Any:
    if mode == "run_sync":
        # run_sync starts its own event loop: keep it off the test's running loop
        import asyncio

        return await asyncio.to_thread(Runner.run_sync, agent, "help the customer", **kwargs)
    if mode == "run":
        return await Runner.run(agent, "help the customer", **kwargs)
    streamed = Runner.run_streamed(agent, "help the customer", **kwargs)
    async for _ in streamed.stream_events():
        pass
    return streamed


# -- the veto, in every run mode -----------------------------------------------------------------
def test_run_sync_blocks_destructive_call_and_agent_finishes(audit: AgentAudit) -> None:
    model = FakeModel(three_tool_turns())
    agent = instrument(support_agent(model), audit)
    result = Runner.run_sync(agent, "help the customer")
    assert ran_tools() == ["web_search", "lookup_customer"]
    refused = model.outputs_sent()["c3"]
    assert refused.startswith(BLOCK_PREFIX) and "critical" in refused
    assert result.final_output == "All done."
    events = trail(audit)
    assert_three_tool_trail(events, agent="support-bot")
    assert [e.action for e in events] == [
        "web_search",
        "web_search.result",
        "lookup_customer",
        "lookup_customer.result",
        "run_sql",
    ]
    guardrail_results = {
        r.output.output_info["event_id"]: r.output for r in result.tool_input_guardrail_results
    }
    blocked = guardrail_results[events[-1].id]
    assert blocked.behavior == {"type": "reject_content", "message": refused}
    assert blocked.output_info["decision"] == "block"


@pytest.mark.parametrize("mode", ["run", "run_streamed", "run_sync"])
async def test_every_run_mode_blocks_and_finishes(audit: AgentAudit, mode: str) -> None:
    model = FakeModel(three_tool_turns())
    agent = instrument(support_agent(model, name=f"bot-{mode}"), audit)
    result = await run(agent, mode)
    assert ran_tools() == ["web_search", "lookup_customer"]
    assert model.outputs_sent()["c3"].startswith(BLOCK_PREFIX)
    assert result.final_output == "All done."
    assert_three_tool_trail(trail(audit), agent=f"bot-{mode}")


async def test_parallel_calls_in_one_turn(audit: AgentAudit) -> None:
    model = FakeModel(
        [
            [
                say("Three things at once."),
                call("web_search", {"query": "weather"}, "p1"),
                call("lookup_customer", {"customer_id": "42"}, "p2"),
                call("run_sql", {"query": "DROP TABLE customers"}, "p3"),
            ],
            [say("All done.")],
        ]
    )
    agent = instrument(support_agent(model), audit)
    result = await Runner.run(agent, "help")
    assert sorted(ran_tools()) == ["lookup_customer", "web_search"]
    assert model.outputs_sent()["p3"].startswith(BLOCK_PREFIX)
    assert model.outputs_sent()["p2"] == "jane@example.com"
    assert result.final_output == "All done."
    events = trail(audit)
    calls = {e.context["tool_call_id"]: e for e in events if "." not in e.action}
    assert {k: (v.action, v.decision) for k, v in calls.items()} == {
        "p1": ("web_search", "allow"),
        "p2": ("lookup_customer", "allow"),
        "p3": ("run_sql", "block"),
    }
    assert all(e.reasoning == "Three things at once." for e in calls.values())
    results = {e.context["tool_call_id"]: e for e in events if e.action.endswith(".result")}
    assert set(results) == {"p1", "p2"}
    assert all(results[k].context["call_event_id"] == calls[k].id for k in results)


@pytest.mark.parametrize("mode", ["run", "run_streamed", "run_sync"])
async def test_on_block_raise_stops_the_run_with_the_tripwire(audit: AgentAudit, mode: str) -> None:
    model = FakeModel(three_tool_turns())
    agent = instrument(support_agent(model), audit, on_block="raise")
    with pytest.raises(ToolInputGuardrailTripwireTriggered) as raised:
        await run(agent, mode)
    assert ran_tools() == ["web_search", "lookup_customer"]
    event = blocked_event(raised.value)
    assert event is not None and event.decision == "block" and event.action == "run_sql"
    assert raised.value.output.output_info["event_id"] == event.id
    events = trail(audit)
    assert events[-1].id == event.id and events[-1].decision == "block"
    assert len(model.inputs) == 3  # the model never got a fourth turn


def test_allowed_results_are_not_logged_when_log_results_is_off(audit: AgentAudit) -> None:
    model = FakeModel(three_tool_turns())
    Runner.run_sync(instrument(support_agent(model), audit, log_results=False), "help")
    assert ran_tools() == ["web_search", "lookup_customer"]
    assert [e.action for e in trail(audit)] == ["web_search", "lookup_customer", "run_sql"]


def test_agent_id_names_the_agent(audit: AgentAudit) -> None:
    model = FakeModel(three_tool_turns())
    Runner.run_sync(instrument(support_agent(model), audit, agent_id="billing-prod"), "help")
    events = trail(audit)
    assert {e.agent_id for e in events} == {"billing-prod"}
    assert {e.context["agent_name"] for e in events} == {"support-bot"}


def test_on_block_is_checked(audit: AgentAudit) -> None:
    with pytest.raises(ValueError, match="on_block"):
        instrument(support_agent(FakeModel([])), audit, on_block="ignore")  # type: ignore[arg-type]


def test_async_client(db_path: Path) -> None:
    async def main() -> Any:
        async with AsyncAgentAudit(db_path=db_path) as audit:
            model = FakeModel(three_tool_turns())
            result = await Runner.run(instrument(support_agent(model), audit), "help")
            await audit.flush()
            page = await audit.list_events(limit=50)
            return result, list(reversed(page.events))

    import asyncio

    result, events = asyncio.run(main())
    assert ran_tools() == ["web_search", "lookup_customer"]
    assert result.final_output == "All done."
    assert_three_tool_trail(events, agent="support-bot")


def test_tool_errors_are_logged_as_errors_and_json_as_json(audit: AgentAudit) -> None:
    def flaky(order_id: str) -> str:
        """Fetch an order."""
        RAN.append(("flaky", order_id))
        raise ConnectionError("orders service down")

    def order(order_id: str) -> str:
        """Fetch an order as JSON."""
        RAN.append(("order", order_id))
        return json.dumps({"id": order_id, "email": "jane@example.com"})

    model = FakeModel(
        [
            [call("flaky", {"order_id": "7"}, "e1"), call("order", {"order_id": "8"}, "e2")],
            [say("Sorry.")],
        ]
    )
    agent = Agent(name="orders", model=model, tools=[function_tool(flaky), function_tool(order)])
    result = Runner.run_sync(instrument(agent, audit), "where is my order")
    assert result.final_output == "Sorry."
    assert sorted(ran_tools()) == ["flaky", "order"]
    events = {e.action: e for e in trail(audit)}
    error = events["flaky.error"]
    assert error.data["error"].startswith("ToolError: An error occurred while running the tool")
    assert error.context["call_event_id"] == events["flaky"].id
    assert events["order.result"].data == {"result": {"id": "8", "email": "jane@example.com"}}
    assert events["order.result"].pii_fields == ["email"]


# -- idempotence, hooks --------------------------------------------------------------------------
def test_instrumenting_twice_changes_nothing(audit: AgentAudit, db_path: Path) -> None:
    model = FakeModel(three_tool_turns())
    agent = instrument(support_agent(model), audit)
    hooks = agent.hooks
    guardrails = [(t.tool_input_guardrails, t.tool_output_guardrails) for t in agent.tools]
    assert instrument(agent, audit) is agent
    with AgentAudit(db_path=db_path.with_name("other.db")) as other:
        instrument(agent, other)  # a second client changes nothing either
        assert agent.hooks is hooks
        assert [
            (t.tool_input_guardrails, t.tool_output_guardrails) for t in agent.tools
        ] == guardrails
        assert all(len(t.tool_input_guardrails) == 1 for t in agent.tools)
        Runner.run_sync(agent, "help")
        assert trail(other) == []
    assert ran_tools() == ["web_search", "lookup_customer"]
    assert len(trail(audit)) == 5  # one event per call and per result, not two


def test_existing_guardrails_and_hooks_still_run(audit: AgentAudit) -> None:
    seen: list[str] = []

    @tool_input_guardrail
    def no_weather(data: Any) -> ToolGuardrailFunctionOutput:
        seen.append(data.context.tool_name)
        if "weather" in data.context.tool_arguments:
            return ToolGuardrailFunctionOutput.reject_content("no weather today")
        return ToolGuardrailFunctionOutput.allow()

    class UserHooks(AgentHooks[Any]):
        async def on_tool_end(self, context: Any, agent: Any, tool: Any, result: Any) -> None:
            seen.append(f"end:{tool.name}")

        async def on_llm_end(self, context: Any, agent: Any, response: Any) -> None:
            seen.append("llm")

    model = FakeModel(three_tool_turns())
    agent = support_agent(model)
    agent.hooks = UserHooks()
    for tool in agent.tools:
        tool.tool_input_guardrails = [no_weather]
    result = Runner.run_sync(instrument(agent, audit), "help")
    assert ran_tools() == ["lookup_customer"]  # user's guardrail refused the search
    assert model.outputs_sent()["c1"] == "no weather today"
    assert model.outputs_sent()["c3"].startswith(BLOCK_PREFIX)
    assert result.final_output == "All done."
    # ours runs first (so the audit sees every call); the user's runs after it
    assert seen == [
        "llm",
        "web_search",
        "llm",
        "lookup_customer",
        "end:lookup_customer",
        "llm",
        "llm",
    ]
    events = trail(audit)
    assert [e.action for e in events] == [
        "web_search",
        "lookup_customer",
        "lookup_customer.result",
        "run_sql",
    ]
    assert events[1].reasoning == LOOKUP_TEXT  # our hook saw the text, the user's hook ran too


# -- handoffs and agents used as tools -----------------------------------------------------------
@pytest.mark.parametrize("wrap", ["agent", "handoff"])
def test_handoff_agents_are_covered(audit: AgentAudit, wrap: str) -> None:
    dba_model = FakeModel(
        [[say(SQL_TEXT), call("run_sql", {"query": "DROP TABLE customers"}, "h2")], [say("Done.")]]
    )
    dba = Agent(name="dba", model=dba_model, tools=[_fresh(run_sql_impl)])
    triage_model = FakeModel(
        [
            [say(SEARCH_TEXT), call("web_search", {"query": "weather"}, "h0")],
            [say("Over to the DBA."), call("transfer_to_dba", {}, "h1")],
        ]
    )
    triage = Agent(
        name="triage",
        model=triage_model,
        tools=[_fresh(web_search_impl)],
        handoffs=[dba if wrap == "agent" else handoff(dba)],
    )
    dba.handoffs = [triage]  # a cycle: instrument must terminate
    result = Runner.run_sync(instrument(triage, audit), "clean up")
    assert result.final_output == "Done." and result.last_agent is dba
    assert ran_tools() == ["web_search"]
    assert dba_model.outputs_sent()["h2"].startswith(BLOCK_PREFIX)
    events = trail(audit)
    assert [(e.agent_id, e.action, e.decision) for e in events] == [
        ("triage", "web_search", "allow"),
        ("triage", "web_search.result", "allow"),
        ("dba", "run_sql", "block"),
    ]
    assert events[-1].reasoning == SQL_TEXT


def test_agents_used_as_tools_are_covered(audit: AgentAudit) -> None:
    inner_model = FakeModel(
        [
            [say(SQL_TEXT), call("run_sql", {"query": "DROP TABLE customers"}, "i1")],
            [say("Refused.")],
        ]
    )
    inner = Agent(name="sql-agent", model=inner_model, tools=[_fresh(run_sql_impl)])
    outer_model = FakeModel(
        [
            [say("Ask the SQL agent."), call("ask_sql", {"input": "drop the table"}, "o1")],
            [say("All done.")],
        ]
    )
    outer = Agent(
        name="manager",
        model=outer_model,
        tools=[inner.as_tool(tool_name="ask_sql", tool_description="Ask the SQL agent.")],
    )
    result = Runner.run_sync(instrument(outer, audit), "clean up")
    assert result.final_output == "All done."
    assert ran_tools() == []
    assert inner_model.outputs_sent()["i1"].startswith(BLOCK_PREFIX)
    assert outer_model.outputs_sent()["o1"] == "Refused."
    events = trail(audit)
    assert [(e.agent_id, e.action, e.decision) for e in events] == [
        ("manager", "ask_sql", "allow"),
        ("sql-agent", "run_sql", "block"),
        ("manager", "ask_sql.result", "allow"),
    ]
    assert events[0].reasoning == "Ask the SQL agent." and events[1].reasoning == SQL_TEXT


# -- manual guardrails, MCP, hosted tools --------------------------------------------------------
def test_audit_guardrails_on_a_function_tool(audit: AgentAudit) -> None:
    guardrails = audit_guardrails(audit, agent_id="manual")
    inp, out = guardrails

    @function_tool(tool_input_guardrails=[inp], tool_output_guardrails=[out])
    def run_sql_guarded(query: str) -> str:
        """Run a SQL statement."""
        RAN.append(("run_sql", query))
        return "done"

    model = FakeModel(
        [
            [call("run_sql_guarded", {"query": "SELECT 1"}, "m1")],
            [call("run_sql_guarded", {"query": "DROP TABLE customers"}, "m2")],
            [say("ok")],
        ]
    )
    result = Runner.run_sync(Agent(name="a", model=model, tools=[run_sql_guarded]), "go")
    assert result.final_output == "ok"
    assert RAN == [("run_sql", "SELECT 1")]
    assert model.outputs_sent() == {"m1": "done", "m2": model.outputs_sent()["m2"]}
    assert model.outputs_sent()["m2"].startswith(BLOCK_PREFIX)
    events = trail(audit)
    assert [(e.agent_id, e.action, e.decision) for e in events] == [
        ("manual", "run_sql_guarded", "allow"),
        ("manual", "run_sql_guarded.result", "allow"),
        ("manual", "run_sql_guarded", "block"),
    ]
    assert events[0].reasoning is None  # no hooks without instrument(): no model text


class FakeMCPServer(MCPServer):
    """An in-process MCP server with one destructive and one harmless tool."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)

    async def connect(self) -> None:
        pass

    @property
    def name(self) -> str:
        return "fake-db"

    async def cleanup(self) -> None:
        pass

    async def list_tools(self, run_context: Any = None, agent: Any = None) -> list[MCPTool]:
        schema = {
            "type": "object",
            "properties": {"query": {"type": "string"}},
            "required": ["query"],
        }
        return [
            MCPTool(name="mcp_sql", description="Run SQL.", inputSchema=schema),
            MCPTool(name="mcp_search", description="Search.", inputSchema=schema),
        ]

    async def call_tool(
        self, tool_name: str, arguments: dict[str, Any] | None, meta: Any = None
    ) -> CallToolResult:
        RAN.append((tool_name, (arguments or {}).get("query")))
        return CallToolResult(content=[TextContent(type="text", text=f"{tool_name} ok")])

    async def list_prompts(self) -> Any:
        raise NotImplementedError

    async def get_prompt(self, name: str, arguments: dict[str, Any] | None = None) -> Any:
        raise NotImplementedError


def test_mcp_server_tools_are_covered(audit: AgentAudit) -> None:
    server = FakeMCPServer()
    model = FakeModel(
        [
            [say("Searching."), call("mcp_search", {"query": "weather"}, "s1")],
            [say(SQL_TEXT), call("mcp_sql", {"query": "DROP TABLE customers"}, "s2")],
            [say("All done.")],
        ]
    )
    agent = instrument(Agent(name="mcp-bot", model=model, mcp_servers=[server]), audit)
    result = Runner.run_sync(agent, "go")
    assert result.final_output == "All done."
    assert RAN == [("mcp_search", "weather")]
    assert model.outputs_sent()["s2"].startswith(BLOCK_PREFIX)
    events = trail(audit)
    assert [(e.agent_id, e.action, e.decision) for e in events] == [
        ("mcp-bot", "mcp_search", "allow"),
        ("mcp-bot", "mcp_search.result", "allow"),
        ("mcp-bot", "mcp_sql", "block"),
    ]
    assert events[-1].reasoning == SQL_TEXT
    instrument(agent, audit)  # idempotent for servers too
    guardrails = getattr(server, "tool_input_guardrails", None)
    if guardrails is not None:  # SDKs whose MCP servers take guardrails (0.24)
        assert len(guardrails) == 1


def test_audit_guardrails_on_an_mcp_server(audit: AgentAudit) -> None:
    inp, out = audit_guardrails(audit)
    if "tool_input_guardrails" not in MCPServer.__init__.__code__.co_varnames:
        # 0.20: MCP servers take no guardrails (instrument() wraps get_mcp_tools instead)
        with pytest.raises(TypeError, match="tool_input_guardrails"):
            FakeMCPServer(tool_input_guardrails=[inp], tool_output_guardrails=[out])
        return
    server = FakeMCPServer(tool_input_guardrails=[inp], tool_output_guardrails=[out])
    model = FakeModel([[call("mcp_sql", {"query": "DROP TABLE customers"}, "s1")], [say("ok")]])
    Runner.run_sync(Agent(name="mcp-manual", model=model, mcp_servers=[server]), "go")
    assert RAN == []
    assert model.outputs_sent()["s1"].startswith(BLOCK_PREFIX)
    assert [e.decision for e in trail(audit)] == ["block"]


def test_hosted_tools_are_named_in_a_warning(
    audit: AgentAudit, caplog: pytest.LogCaptureFixture
) -> None:
    async def to_billing(ctx: Any, args: str) -> Agent[Any]:
        return Agent(name="billing")

    hand_built = Handoff(
        tool_name="transfer_to_billing",
        tool_description="Billing.",
        input_json_schema={},
        on_invoke_handoff=to_billing,
        agent_name="billing",
    )
    agent = Agent(
        name="web",
        model=FakeModel([]),
        tools=[WebSearchTool(), *new_tools()],
        handoffs=[hand_built],
    )
    with caplog.at_level(logging.WARNING, logger="agentaudit.integrations.openai_agents"):
        instrument(agent, audit)
    warning = " ".join(r.getMessage() for r in caplog.records)
    assert "cannot be audited or blocked" in warning and "WebSearchTool" in warning
    assert "handoff to billing" in warning
    assert "run_sql" not in warning
    caplog.clear()
    with caplog.at_level(logging.WARNING, logger="agentaudit.integrations.openai_agents"):
        instrument(support_agent(FakeModel([])), audit)
    assert caplog.records == []


# -- lazy import ---------------------------------------------------------------------------------
BLOCKED_IMPORT = """
import sys
sys.modules['agents'] = None
import agentaudit_integrations.openai_agents as oa
print(sorted(m for m in sys.modules if m.split('.')[0] == 'agents' and sys.modules[m]))
for use in (lambda: oa.instrument(object(), None), lambda: oa.audit_guardrails(None)):
    try:
        use()
    except ImportError as exc:
        print(exc)
"""


def test_without_the_sdk_the_error_names_the_extra() -> None:
    env = {**os.environ, "PYTHONPATH": f"{REPO}:{REPO / 'core'}"}
    out = subprocess.run(
        [sys.executable, "-c", BLOCKED_IMPORT], capture_output=True, text=True, env=env, check=True
    ).stdout
    lines = out.strip().splitlines()
    assert lines[0] == "[]" and len(lines) == 3, out
    for line in lines[1:]:
        assert "pip install 'agentaudit[openai-agents]'" in line, line


def test_importing_the_adapter_imports_no_sdk() -> None:
    code = (
        "import sys, agentaudit_integrations.openai_agents\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('agents', 'openai')))"
    )
    env = {**os.environ, "PYTHONPATH": f"{REPO}:{REPO / 'core'}"}
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True
    ).stdout
    assert out.strip() == "[]"


# -- guarding by meaning (issue 23): the argument's name and the tool's name do not matter -------
def housekeeping_impl(cmdline: str) -> str:
    """Run a maintenance step."""
    RAN.append(("housekeeping", cmdline))
    return "done"


def test_a_destructive_command_under_any_argument_name_is_vetoed(audit: AgentAudit) -> None:
    model = FakeModel(
        [[call("housekeeping", {"cmdline": "rm -rf /srv/data"}, "h1")], [say("Finished.")]]
    )
    agent = Agent(
        name="janitor",
        model=model,
        tools=[function_tool(housekeeping_impl, name_override="housekeeping")],
    )
    result = Runner.run_sync(instrument(agent, audit), "tidy up")
    assert RAN == []  # the tool never ran
    refused = model.outputs_sent()["h1"]
    assert refused.startswith(BLOCK_PREFIX)
    assert "deletes recursively a data location: rm -rf /srv/data" in refused
    assert result.final_output == "Finished."
    assert [(e.action, e.decision) for e in trail(audit)] == [("housekeeping", "block")]
