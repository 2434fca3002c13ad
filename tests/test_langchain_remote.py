"""LangChain adapter against a real AgentAudit server process, and with the server down."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

# .venv-oa (the newest openai-agents) has no LangChain by design; everything here runs in .venv.
from langchain.agents import create_agent
from langchain_core.messages import AIMessage

from agentaudit import ActionBlocked, AgentAudit, AsyncAgentAudit
from agentaudit_integrations import BLOCK_PREFIX
from agentaudit_integrations.langchain import AgentAuditCallbackHandler, AgentAuditMiddleware
from tests.support.live_server import run_server
from tests.support.live_server import unreachable_client as down
from tests.test_langchain import (  # noqa: F401  (_clear_ran is an autouse fixture)
    RAN,
    TOOLS,
    _clear_ran,
    arun_sql,
    assert_three_tool_trail,
    call,
    lookup_customer,
    read_inbox,
    scripted,
    send_email,
    three_tool_run,
    tool_messages,
    user,
    web_search,
)


def trail(audit: AgentAudit) -> list[Any]:
    audit.flush()  # remote: results are sent in the background
    return list(reversed(audit.list_events(limit=200).events))


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Any:
    with run_server(db_path=tmp_path_factory.mktemp("srv") / "srv.db") as srv:
        yield srv


def remote(server: Any, org: str, tmp_path: Path) -> AgentAudit:
    return AgentAudit(
        api_key=server.new_key(org=org), base_url=server.url, spool_dir=tmp_path / "spool"
    )


@pytest.mark.parametrize("mode", ["sync", "async"])
async def test_middleware_against_a_live_server(server: Any, mode: str, tmp_path: Path) -> None:
    with remote(server, f"lc-mw-{mode}", tmp_path) as audit:
        assert audit.mode == "remote"
        agent = create_agent(
            three_tool_run(), TOOLS, middleware=[AgentAuditMiddleware(audit)], name="remote-bot"
        )
        result = agent.invoke(user()) if mode == "sync" else await agent.ainvoke(user())
        assert [r[0] for r in RAN] == ["web_search", "lookup_customer"]
        assert tool_messages(result)["c3"].content.startswith(BLOCK_PREFIX)
        assert result["messages"][-1].content == "All done."
        assert_three_tool_trail(trail(audit), agent="remote-bot")


async def test_async_client_against_a_live_server(server: Any) -> None:
    async with AsyncAgentAudit(
        api_key=server.new_key(org="lc-async"), base_url=server.url
    ) as audit:
        agent = create_agent(
            three_tool_run("arun_sql"),
            [web_search, lookup_customer, arun_sql],
            middleware=[AgentAuditMiddleware(audit)],
            name="async-remote",
        )
        result = await agent.ainvoke(user())
        assert [r[0] for r in RAN] == ["web_search", "lookup_customer"]
        assert tool_messages(result)["c3"].content.startswith(BLOCK_PREFIX)
        await audit.flush()
        page = await audit.list_events(limit=200)
        assert_three_tool_trail(list(reversed(page.events)), agent="async-remote")


def test_callback_handler_against_a_live_server(server: Any, tmp_path: Path) -> None:
    with remote(server, "lc-cb", tmp_path) as audit:
        agent = create_agent(three_tool_run(), TOOLS, name="cb-remote")
        with pytest.raises(ActionBlocked) as info:
            agent.invoke(user(), config={"callbacks": [AgentAuditCallbackHandler(audit)]})
        assert [r[0] for r in RAN] == ["web_search", "lookup_customer"]
        assert info.value.event.decision == "block"
        assert_three_tool_trail(trail(audit), agent="cb-remote")


@pytest.mark.parametrize("mode", ["sync", "async"])
async def test_fail_closed_with_the_server_down(tmp_path: Path, mode: str) -> None:
    with down("closed", tmp_path) as audit:
        model = scripted(
            AIMessage(content="", tool_calls=[call("web_search", {"query": "q"}, "d")])
        )
        agent = create_agent(model, TOOLS, middleware=[AgentAuditMiddleware(audit)])
        result = agent.invoke(user()) if mode == "sync" else await agent.ainvoke(user())
        assert RAN == []
        assert tool_messages(result)["d"].content.startswith(BLOCK_PREFIX + "audit unavailable")
        assert result["messages"][-1].content == "All done."
        handler = AgentAuditCallbackHandler(audit)
        with pytest.raises(ActionBlocked, match="audit unavailable"):
            web_search.invoke({"query": "q"}, config={"callbacks": [handler]})
        assert RAN == []


@pytest.mark.parametrize("mode", ["sync", "async"])
async def test_fail_open_with_the_server_down(tmp_path: Path, mode: str) -> None:
    with down("open", tmp_path) as audit:
        model = scripted(
            AIMessage(content="", tool_calls=[call("web_search", {"query": "q"}, "o")])
        )
        agent = create_agent(model, TOOLS, middleware=[AgentAuditMiddleware(audit)])
        result = agent.invoke(user()) if mode == "sync" else await agent.ainvoke(user())
        assert RAN == [("web_search", "q")]
        assert tool_messages(result)["o"].content == "3 results for q"


# -- provenance over REST: a result queued in the background still steers the next call ----------
PLANTED = "audit-team@data-checks.example.net"


def _planted_run() -> Any:
    return scripted(
        AIMessage(content="", tool_calls=[call("read_inbox", {"folder": "inbox"}, "p1")]),
        AIMessage(
            content="",
            tool_calls=[call("send_email", {"to": PLANTED, "subject": "list", "body": "x"}, "p2")],
        ),
    )


@pytest.mark.parametrize("mode", ["sync", "async"])
async def test_a_queued_result_reaches_the_server_before_the_call_it_steers(
    server: Any, mode: str, tmp_path: Path
) -> None:
    """Results go in the background, calls at once: the client sends what it queued before a
    call first, so the server judges the call after the result (a 30 s flush interval makes
    the background worker alone far too late)."""
    key = server.new_key(org=f"lc-steer-{mode}")
    tools = [read_inbox, send_email]
    if mode == "sync":
        with AgentAudit(
            api_key=key, base_url=server.url, spool_dir=tmp_path / "s", flush_interval=30
        ) as audit:
            agent = create_agent(_planted_run(), tools, middleware=[AgentAuditMiddleware(audit)])
            result = agent.invoke(user("Check my inbox"))
            events = trail(audit)
    else:
        async with AsyncAgentAudit(
            api_key=key, base_url=server.url, spool_dir=tmp_path / "a", flush_interval=30
        ) as aaudit:
            agent = create_agent(_planted_run(), tools, middleware=[AgentAuditMiddleware(aaudit)])
            result = await agent.ainvoke(user("Check my inbox"))
            await aaudit.flush()
            events = list(reversed((await aaudit.list_events(limit=200)).events))
    assert [r[0] for r in RAN] == ["read_inbox"]  # the email never went
    vetoed = tool_messages(result)["p2"]
    assert vetoed.status == "error" and PLANTED in vetoed.content
    assert [e.action for e in events] == ["read_inbox", "read_inbox.result", "send_email"]
    assert events[-1].decision == "block" and events[-1].matches[0].rule == "steered_by_untrusted"
