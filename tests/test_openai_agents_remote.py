"""OpenAI Agents SDK adapter against a real AgentAudit server process, and with the server down.

Runs in both venvs (`.venv`: openai-agents 0.20.x; `.venv-oa`: the newest 0.24.x).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from agents import Agent, Runner, ToolInputGuardrailTripwireTriggered

from agentaudit import AgentAudit, AsyncAgentAudit
from agentaudit_integrations import BLOCK_PREFIX
from agentaudit_integrations.openai_agents import blocked_event, instrument
from tests.support.live_server import free_port as closed_port
from tests.support.live_server import run_server
from tests.support.live_server import unreachable_client as down
from tests.test_openai_agents import (  # noqa: F401  (_clear_ran is an autouse fixture)
    FakeModel,
    _clear_ran,
    assert_three_tool_trail,
    call,
    ran_tools,
    run,
    say,
    support_agent,
    three_tool_turns,
    trail,
)

pytestmark = pytest.mark.openai_agents


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    with run_server(db_path=tmp_path_factory.mktemp("srv") / "srv.db") as srv:
        yield srv


def remote(server: Any, org: str) -> AgentAudit:
    return AgentAudit(api_key=server.new_key(org=org), base_url=server.url)


# -- a live server -------------------------------------------------------------------------------
@pytest.mark.parametrize("mode", ["run", "run_streamed", "run_sync"])
async def test_every_run_mode_against_a_live_server(server: Any, mode: str) -> None:
    with remote(server, f"oa-{mode}") as audit:
        assert audit.mode == "remote"
        model = FakeModel(three_tool_turns())
        result = await run(instrument(support_agent(model, name="remote-bot"), audit), mode)
        assert ran_tools() == ["web_search", "lookup_customer"]
        assert model.outputs_sent()["c3"].startswith(BLOCK_PREFIX)
        assert result.final_output == "All done."
        assert_three_tool_trail(trail(audit), agent="remote-bot")


async def test_async_client_against_a_live_server(server: Any) -> None:
    async with AsyncAgentAudit(
        api_key=server.new_key(org="oa-async"), base_url=server.url
    ) as audit:
        model = FakeModel(three_tool_turns())
        result = await Runner.run(instrument(support_agent(model), audit), "help")
        assert ran_tools() == ["web_search", "lookup_customer"]
        assert result.final_output == "All done."
        await audit.flush()
        page = await audit.list_events(limit=200)
        assert_three_tool_trail(list(reversed(page.events)), agent="support-bot")


def test_on_block_raise_against_a_live_server(server: Any) -> None:
    with remote(server, "oa-raise") as audit:
        model = FakeModel(three_tool_turns())
        agent = instrument(support_agent(model), audit, on_block="raise")
        with pytest.raises(ToolInputGuardrailTripwireTriggered) as raised:
            Runner.run_sync(agent, "help")
        assert ran_tools() == ["web_search", "lookup_customer"]
        event = blocked_event(raised.value)
        assert event is not None and event.decision == "block" and event.stored
        assert audit.get_event(event.id).action == "run_sql"  # the server has it


# -- the server down -----------------------------------------------------------------------------
def one_call_turns(call_id: str) -> list[list[Any]]:
    return [[say("Searching."), call("web_search", {"query": "weather"}, call_id)], [say("Ok.")]]


@pytest.mark.parametrize("mode", ["run", "run_streamed", "run_sync"])
async def test_fail_closed_with_the_server_down(mode: str, tmp_path: Path) -> None:
    with down("closed", tmp_path) as audit:
        model = FakeModel(one_call_turns("d1"))
        result = await run(instrument(support_agent(model), audit), mode)
        assert ran_tools() == []
        assert model.outputs_sent()["d1"].startswith(BLOCK_PREFIX + "audit unavailable")
        assert result.final_output == "Ok."


def test_fail_closed_with_raise_stops_the_run(tmp_path: Path) -> None:
    with down("closed", tmp_path) as audit:
        agent = instrument(support_agent(FakeModel(one_call_turns("d2"))), audit, on_block="raise")
        with pytest.raises(ToolInputGuardrailTripwireTriggered) as raised:
            Runner.run_sync(agent, "help")
        assert ran_tools() == []
        info = raised.value.output.output_info
        assert info["fallback"] is True and info["decision"] == "block"
        event = blocked_event(raised.value)
        assert event is not None and event.decision == "block"
        assert event.reason is not None and event.reason.startswith("audit unavailable")


@pytest.mark.parametrize("mode", ["run", "run_streamed", "run_sync"])
async def test_fail_open_with_the_server_down(mode: str, tmp_path: Path) -> None:
    with down("open", tmp_path) as audit:
        model = FakeModel(one_call_turns("o1"))
        result = await run(instrument(support_agent(model), audit), mode)
        assert ran_tools() == ["web_search"]
        assert model.outputs_sent()["o1"] == "3 results for weather"
        assert result.final_output == "Ok."


def test_fail_closed_with_the_async_client(tmp_path: Path) -> None:
    import asyncio

    async def main() -> tuple[Any, FakeModel]:
        async with AsyncAgentAudit(
            api_key="aa_live_x",
            base_url=f"http://127.0.0.1:{closed_port()}",
            max_retries=0,
            timeout=1,
            spool_dir=tmp_path / "spool",
        ) as audit:
            model = FakeModel(one_call_turns("d3"))
            agent: Agent[Any] = instrument(support_agent(model), audit)
            return await Runner.run(agent, "help"), model

    result, model = asyncio.run(main())
    assert ran_tools() == []
    assert model.outputs_sent()["d3"].startswith(BLOCK_PREFIX + "audit unavailable")
    assert result.final_output == "Ok."
