"""`agentaudit mcp-proxy` (the gateway) and `agentaudit mcp-server` (the trail as MCP tools).

In stdio mode stdout is the MCP channel: nothing else may ever be printed there, so these
commands report on stderr only.
"""

from __future__ import annotations

import logging
import os
import sys
from pathlib import Path
from typing import Annotated, Any

import typer

TOKEN_ENV = "AGENTAUDIT_MCP_TOKEN"

UrlOption = Annotated[
    str | None,
    typer.Option("--url", envvar="AGENTAUDIT_URL", help="AgentAudit server (default: embedded)"),
]
KeyOption = Annotated[
    str | None,
    typer.Option("--api-key", envvar="AGENTAUDIT_API_KEY", help="its API key", show_default=False),
]
DbOption = Annotated[
    Path | None,
    typer.Option(
        "--db",
        help="embedded SQLite file (default $AGENTAUDIT_DB, else "
        "~/.local/share/agentaudit/agentaudit.db: a client may start this in any directory)",
    ),
]
ListenOption = Annotated[
    str | None,
    typer.Option(
        "--listen",
        help=f"serve MCP clients over Streamable HTTP at HOST:PORT (path /mcp; clients must "
        f"send the bearer token in ${TOKEN_ENV} when it is set) instead of stdio",
    ),
]
AgentOption = Annotated[
    str | None, typer.Option("--agent-id", help="agent id in the trail (default: the client)")
]


def register(app: typer.Typer) -> None:
    app.command("mcp-proxy")(mcp_proxy)
    app.command("mcp-server")(mcp_server)


def _fail(message: str) -> None:
    sys.stderr.write(f"error: {message}\n")
    raise typer.Exit(2)


def _require(check: Any) -> None:
    """A missing extra is one line naming what to install, not a traceback."""
    try:
        check()
    except ImportError as exc:
        _fail(str(exc))


def _listen(value: str) -> tuple[str, int]:
    host, _, port = value.rpartition(":")
    try:
        number = int(port)
    except ValueError:
        number = -1
    if not host or not 0 < number < 65536:
        _fail(f"--listen takes HOST:PORT, e.g. 127.0.0.1:8765, not {value!r}")
    return host.strip("[]"), number


def _audit(url: str | None, api_key: str | None, db: Path | None, fail_mode: str) -> Any:
    from agentaudit import AgentAuditError, AsyncAgentAudit

    if fail_mode not in ("closed", "open"):
        _fail(f"--fail-mode must be closed or open, not {fail_mode!r}")
    try:
        if url:
            return AsyncAgentAudit(api_key=api_key, base_url=url, fail_mode=fail_mode)  # type: ignore[arg-type]
        from agentaudit.hooks.claude_code import default_db_path

        path = db or os.environ.get("AGENTAUDIT_DB") or default_db_path()
        return AsyncAgentAudit(db_path=path, fail_mode=fail_mode)  # type: ignore[arg-type]
    except AgentAuditError as exc:
        _fail(str(exc))


def _headers(values: list[str] | None) -> dict[str, str]:
    headers = {}
    for value in values or []:
        name, sep, content = value.partition(":")
        if not sep or not name.strip():
            _fail(f"--upstream-header takes 'Name: value', not {value!r}")
        headers[name.strip()] = content.strip()
    return headers


def mcp_proxy(
    command: Annotated[
        list[str] | None,
        typer.Argument(help="the MCP server to start, after --: agentaudit mcp-proxy -- CMD ARGS"),
    ] = None,
    upstream_url: Annotated[
        str | None, typer.Option(help="an MCP server over Streamable HTTP instead of a command")
    ] = None,
    upstream_header: Annotated[
        list[str] | None, typer.Option(help="'Name: value' sent to --upstream-url (repeatable)")
    ] = None,
    listen: ListenOption = None,
    name: Annotated[
        str | None, typer.Option(help="the server's name in the trail (default: its own)")
    ] = None,
    agent_id: AgentOption = None,
    url: UrlOption = None,
    api_key: KeyOption = None,
    db: DbOption = None,
    fail_mode: Annotated[
        str, typer.Option(help="closed: refuse tool calls when no decision can be had; open")
    ] = "closed",
    otel: Annotated[
        bool, typer.Option("--otel", help="export a span per tool call (OTEL_EXPORTER_OTLP_*)")
    ] = False,
) -> None:
    """Put AgentAudit between an MCP client and an MCP server: every tools/call is audited, a
    refused one never reaches the server (the client gets an error result with the reason),
    everything else passes unchanged."""
    logging.basicConfig(level=logging.WARNING, stream=sys.stderr, format="%(message)s")
    if bool(command) == bool(upstream_url):
        _fail("give the MCP server's command after -- or --upstream-url, exactly one")
    from agentaudit_integrations import mcp_gateway as gw

    _require(gw._require_mcp)

    upstream = (
        gw.http_upstream(upstream_url, _headers(upstream_header))
        if upstream_url
        else gw.stdio_upstream(list(command or []))
    )
    spans = None
    if otel:
        from agentaudit_integrations.otel import ToolSpans, _require_otel, configure_tracing

        _require(_require_otel)
        provider = configure_tracing(service_name="agentaudit-mcp-gateway")
        spans = ToolSpans(provider)
    audit = _audit(url, api_key, db, fail_mode)
    make = gw.make_gateway_factory(audit, server_name=name, agent_id=agent_id, spans=spans)
    try:
        if listen:
            host, port = _listen(listen)
            app = gw.http_app(make, upstream, host=host, port=port, token=os.environ.get(TOKEN_ENV))
            _serve_http(app, host, port, audit)
        else:
            _run(gw.serve_stdio(make, upstream), audit)
    finally:
        if otel:
            provider.shutdown()


def mcp_server(
    listen: ListenOption = None,
    agent_id: Annotated[
        str | None,
        typer.Option("--agent-id", help="scope every tool to this agent's events"),
    ] = None,
    url: UrlOption = None,
    api_key: KeyOption = None,
    db: DbOption = None,
) -> None:
    """Serve the audit trail as MCP tools an agent can call to check itself: recent_events,
    check_call (a risk check that records nothing), session_summary, current_policy."""
    logging.basicConfig(level=logging.WARNING, stream=sys.stderr, format="%(message)s")
    from agentaudit_integrations.mcp_gateway import _require_mcp
    from agentaudit_integrations.mcp_trail import create_trail_server

    _require(_require_mcp)

    audit = _audit(url, api_key, db, "closed")
    if listen:
        host, port = _listen(listen)
        server = create_trail_server(audit, agent_id=agent_id, host=host, port=port)
        app = server.streamable_http_app()
        token = os.environ.get(TOKEN_ENV)
        if token:
            from agentaudit_integrations.mcp_gateway import token_guard

            app = token_guard(app, token)
        _serve_http(app, host, port, audit)
    else:
        server = create_trail_server(audit, agent_id=agent_id)
        _run(server.run_stdio_async(), audit)


def _run(main: Any, audit: Any) -> None:
    import anyio

    async def run() -> None:
        try:
            await main
        finally:
            await audit.close()

    try:
        anyio.run(run)
    except* OSError as group:  # the MCP server's command cannot be started
        _fail(f"cannot start the MCP server: {group.exceptions[0]}")


def _serve_http(app: Any, host: str, port: int, audit: Any) -> None:
    import uvicorn

    async def serve() -> None:
        try:
            await uvicorn.Server(
                uvicorn.Config(app, host=host, port=port, log_level="warning")
            ).serve()
        finally:
            await audit.close()

    import anyio

    sys.stderr.write(f"AgentAudit MCP on http://{host}:{port}/mcp\n")
    anyio.run(serve)
