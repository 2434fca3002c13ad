"""CrewAI adapter against a real AgentAudit server process, and with the server down."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from agentaudit import ActionBlocked, AgentAudit
from agentaudit_integrations import BLOCK_PREFIX
from agentaudit_integrations.crewai import audited, instrument
from tests.support.live_server import run_server
from tests.support.live_server import unreachable_client as down
from tests.test_crewai import (  # noqa: F401  (_clean is an autouse fixture)
    DROP,
    _clean,
    assert_three_tool_trail,
    eight_agents_at_once,
    kick,
    model,
    ops_agent,
    ran,
    ran_tools,
    trail,
)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    with run_server(db_path=tmp_path_factory.mktemp("srv") / "srv.db") as srv:
        yield srv


def remote(server: Any, org: str) -> AgentAudit:
    return AgentAudit(api_key=server.new_key(org=org), base_url=server.url)


# -- a live server -------------------------------------------------------------------------------
@pytest.mark.parametrize("runner", ["kickoff", "akickoff"])
@pytest.mark.parametrize("path", ["react", "native"])
def test_veto_and_trail_against_a_live_server(server: Any, path: str, runner: str) -> None:
    with remote(server, f"crew-{path}-{runner}") as audit:
        assert audit.mode == "remote"
        llm = model(path)
        with audited(audit):
            kick(ops_agent(llm), runner)
        assert sorted(ran_tools()) == ["lookup_customer", "web_search"]
        assert any(s.startswith(BLOCK_PREFIX) for s in llm.tool_outputs())
        # results and steps go in the background, so they may land out of order
        assert_three_tool_trail(trail(audit), path, runner, ordered=False)


def test_on_block_raise_against_a_live_server(server: Any) -> None:
    with remote(server, "crew-raise") as audit:
        with instrument(audit, on_block="raise"), pytest.raises(ActionBlocked) as raised:
            kick(ops_agent(model("react")), "kickoff")
        assert ran("run_sql") == []
        event = raised.value.event
        assert event.decision == "block" and event.stored
        assert audit.get_event(event.id).data == {"query": DROP}  # the server has it


def test_eight_agents_against_a_live_server(server: Any) -> None:
    with remote(server, "crew-eight") as audit, instrument(audit):
        eight_agents_at_once(audit)


# -- the server down -----------------------------------------------------------------------------
@pytest.mark.parametrize("runner", ["kickoff", "akickoff"])
@pytest.mark.parametrize("path", ["react", "native"])
def test_fail_closed_with_the_server_down(path: str, runner: str, tmp_path: Path) -> None:
    llm = model(path)
    with down("closed", tmp_path) as audit, instrument(audit):
        output = kick(ops_agent(llm), runner)
    assert ran_tools() == []
    shown = llm.tool_outputs()
    assert len(shown) == 3
    assert all(s.startswith(BLOCK_PREFIX + "audit unavailable") for s in shown), shown
    assert output  # the crew still finished


def test_fail_closed_with_raise_stops_the_run(tmp_path: Path) -> None:
    with (
        down("closed", tmp_path) as audit,
        instrument(audit, on_block="raise"),
        pytest.raises(ActionBlocked) as raised,
    ):
        kick(ops_agent(model("native")), "kickoff")
    assert ran_tools() == []
    assert raised.value.event.decision == "block"
    assert (raised.value.reason or "").startswith("audit unavailable")


@pytest.mark.parametrize("runner", ["kickoff", "akickoff"])
@pytest.mark.parametrize("path", ["react", "native"])
def test_fail_open_with_the_server_down(path: str, runner: str, tmp_path: Path) -> None:
    llm = model(path)
    with down("open", tmp_path) as audit, instrument(audit):
        kick(ops_agent(llm), runner)
    # no decision could be had, and fail_mode="open" lets every call through
    assert sorted(ran_tools()) == ["lookup_customer", "run_sql", "web_search"]
    assert not any(s.startswith(BLOCK_PREFIX) for s in llm.tool_outputs())
