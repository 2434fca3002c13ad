"""The MCP gateway: a proxy between any MCP client and an MCP server that audits every tool call.

    agentaudit mcp-proxy -- npx -y @modelcontextprotocol/server-filesystem /srv   (stdio)
    agentaudit mcp-proxy --listen 127.0.0.1:8765 --upstream-url https://mcp.internal/mcp

It works on JSON-RPC messages with the official `mcp` SDK's transports, so it forwards
*everything* — initialize, listings, resources, prompts, notifications, progress, the server's
own requests (sampling, elicitation, roots) and their answers — unchanged. Each `tools/call` is
audited first (the tool name is the action, the arguments the data, the server's name in the
context): an allowed call goes on and its result is recorded, linked to the call; a refused one
is answered by the gateway with a tool result `isError: true` carrying the reason, and the server
never receives it. When no decision can be had, the audit client's `fail_mode` decides.

Needs the `mcp` extra.
"""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from dataclasses import dataclass
from typing import Any

from agentaudit_integrations._guard import ToolCall, ToolCallGuard, Verdict

log = logging.getLogger("agentaudit.mcp")

FRAMEWORK = "mcp"
SECRET_ENV_PREFIX = "AGENTAUDIT_"  # the audit's own settings (its API key) stay with the gateway


def _require_mcp() -> None:
    try:
        import mcp  # noqa: F401
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise ImportError(
            "The MCP gateway needs the `mcp` extra: pip install 'agentaudit[mcp]'"
        ) from exc


class McpToolError(Exception):
    """A tool result with `isError: true` (recorded as the call's error)."""


class McpProtocolError(Exception):
    """A JSON-RPC error answer to a tools/call."""


@dataclass
class _Pending:
    call: ToolCall
    verdict: Verdict
    span: Any


Streams = tuple[Any, Any]  # (receive stream of SessionMessage | Exception, send stream)
Upstream = Callable[[], AbstractAsyncContextManager[Streams]]


class Gateway:
    """Relays one client session to one server session, auditing tool calls on the way.

    `guard` audits (its client's `fail_mode` applies); `spans` (optional) is an
    `agentaudit_integrations.otel.ToolSpans`, whose span then covers the whole call.
    """

    def __init__(
        self,
        guard: ToolCallGuard,
        *,
        server_name: str | None = None,
        transport: str = "stdio",
        spans: Any = None,
    ) -> None:
        _require_mcp()
        self.guard = guard
        self.server_name = server_name  # else learnt from the server's initialize answer
        self.transport = transport
        self.spans = spans
        self.client_name: str | None = None
        self.server_version: str | None = None
        self._pending: dict[str | int, _Pending] = {}
        self._auditing: dict[str | int, bool] = {}  # id -> cancelled by the client meanwhile
        self._progress: dict[str | int, str | int] = {}  # progress token -> request id
        self._in_flight: list[str | int] = []  # client requests not answered yet

    async def run(self, client: Streams, upstream: Streams) -> None:
        """Until either side closes its stream."""
        import anyio

        client_read, client_write = client
        upstream_read, upstream_write = upstream
        async with anyio.create_task_group() as tg:

            async def client_side() -> None:
                await self._from_client(client_read, client_write, upstream_write, tg)
                tg.cancel_scope.cancel()

            async def server_side() -> None:
                await self._from_server(upstream_read, client_write)
                tg.cancel_scope.cancel()

            tg.start_soon(client_side)
            tg.start_soon(server_side)

    # -- client -> server ------------------------------------------------------------------------
    async def _from_client(
        self, read: Any, client_write: Any, upstream_write: Any, tg: Any
    ) -> None:
        from mcp.types import JSONRPCNotification, JSONRPCRequest

        async with read:
            async for item in read:
                if isinstance(item, Exception):  # a line that is not JSON-RPC
                    log.warning("agentaudit mcp: unreadable message from the client: %s", item)
                    continue
                message = item.message.root
                if isinstance(message, JSONRPCRequest):
                    self._note_request(message)
                    if message.method == "tools/call":
                        self._auditing[message.id] = False
                        tg.start_soon(self._tool_call, message, client_write, upstream_write)
                        continue
                elif isinstance(message, JSONRPCNotification) and self._cancels_audit(message):
                    continue
                await self._send(upstream_write, item.message)
                if isinstance(message, JSONRPCNotification):
                    await self._cancelled_in_flight(message)

    def _note_request(self, message: Any) -> None:
        params = message.params or {}
        if message.method == "initialize":
            info = params.get("clientInfo") or {}
            self.client_name = str(info.get("name") or "") or None
        meta = params.get("_meta")
        token = meta.get("progressToken") if isinstance(meta, dict) else None
        if isinstance(token, str | int):
            self._progress[token] = message.id
        self._in_flight.append(message.id)

    def _cancels_audit(self, message: Any) -> bool:
        """A cancellation of a call still being audited: it will not be forwarded at all."""
        if message.method != "notifications/cancelled":
            return False
        request_id = (message.params or {}).get("requestId")
        if request_id in self._auditing:
            self._auditing[request_id] = True
            return True
        return False

    async def _cancelled_in_flight(self, message: Any) -> None:
        """A forwarded call the client cancelled: the server should not answer it any more
        (MCP), so its record is closed here, as cancelled."""
        if message.method != "notifications/cancelled":
            return
        request_id = (message.params or {}).get("requestId")
        if not isinstance(request_id, str | int):
            return
        pending = self._pending.pop(request_id, None)
        if pending is None:
            return
        self._done(request_id)
        await self.guard.arecord_result(
            pending.call, pending.verdict, None, McpProtocolError("cancelled by the client")
        )
        if pending.span is not None:
            self.spans.finish(
                pending.span, error_type="cancelled", message="cancelled by the client"
            )

    async def _tool_call(self, request: Any, client_write: Any, upstream_write: Any) -> None:
        from mcp.types import JSONRPCMessage

        params = request.params or {}
        name = params.get("name")
        if not isinstance(name, str) or not name:  # the server answers the protocol error
            self._auditing.pop(request.id, None)
            await self._send(upstream_write, JSONRPCMessage(request))
            return
        call = self._call(request.id, name, params)
        span = None
        if self.spans is not None:
            span = self.spans.start(
                name,
                agent=self.guard.agent_id or call.agent_name,
                context=call.context,
                arguments=call.args,
                tool_type="extension",
            )
        verdict = await self.guard.acheck(call)
        cancelled = self._auditing.pop(request.id, False)
        if span is not None:
            self.spans.decided(span, verdict.event, fail_mode=self.guard.fail_mode, error=None)
        if not verdict.allowed:
            if span is not None:
                self.spans.finish(span)
            self._done(request.id)
            if not cancelled:
                await self._refuse(request.id, verdict, client_write)
            return
        if cancelled:  # the client gave up while we decided: the server never sees the call
            if span is not None:
                self.spans.finish(span, error_type="cancelled", message="cancelled by the client")
            self._done(request.id)
            return
        self._pending[request.id] = _Pending(call, verdict, span)
        await self._send(upstream_write, JSONRPCMessage(request))

    def _call(self, request_id: str | int, name: str, params: dict[str, Any]) -> ToolCall:
        context: dict[str, Any] = {
            "mcp_server": self.server_name or "unknown",
            "mcp_request_id": str(request_id),
            "mcp_transport": self.transport,
        }
        if self.server_version:
            context["mcp_server_version"] = self.server_version
        if self.client_name:
            context["mcp_client"] = self.client_name
        meta = params.get("_meta")
        for key in ("traceparent", "tracestate"):  # W3C trace context, when the client sends it
            if isinstance(meta, dict) and isinstance(meta.get(key), str):
                context[key] = meta[key]
        arguments = params.get("arguments")
        return ToolCall(
            tool=name,
            args=arguments if arguments is not None else {},
            context=context,
            agent_name=self.client_name,
        )

    async def _refuse(self, request_id: str | int, verdict: Verdict, client_write: Any) -> None:
        from mcp.types import CallToolResult, JSONRPCMessage, JSONRPCResponse, TextContent

        text = verdict.message or "Blocked by AgentAudit policy"
        result = CallToolResult(content=[TextContent(type="text", text=text)], isError=True)
        response = JSONRPCResponse(
            jsonrpc="2.0",
            id=request_id,
            result=result.model_dump(by_alias=True, exclude_none=True, mode="json"),
        )
        await self._send(client_write, JSONRPCMessage(response))

    # -- server -> client ------------------------------------------------------------------------
    async def _from_server(self, read: Any, client_write: Any) -> None:
        from mcp.types import JSONRPCError, JSONRPCNotification, JSONRPCResponse

        async with read:
            async for item in read:
                if isinstance(item, Exception):
                    log.warning("agentaudit mcp: unreadable message from the server: %s", item)
                    continue
                message = item.message.root
                related = None
                if isinstance(message, JSONRPCResponse | JSONRPCError):
                    self._learn_server(message)
                    pending = self._pending.pop(message.id, None)
                    if pending is not None:
                        await self._record(pending, message)
                    self._done(message.id)
                elif isinstance(message, JSONRPCNotification):
                    token = (message.params or {}).get("progressToken")
                    related = self._progress.get(token) if isinstance(token, str | int) else None
                if related is None and not isinstance(message, JSONRPCResponse | JSONRPCError):
                    related = self._in_flight[-1] if self._in_flight else None
                await self._send(client_write, item.message, related)

    def _learn_server(self, message: Any) -> None:
        result = getattr(message, "result", None)
        if not isinstance(result, dict) or "protocolVersion" not in result:
            return
        info = result.get("serverInfo") or {}
        if not self.server_name and info.get("name"):
            self.server_name = str(info["name"])
        if info.get("version"):
            self.server_version = str(info["version"])

    async def _record(self, pending: _Pending, message: Any) -> None:
        """The tool's result (or error), linked to its call; the span ends here."""
        from mcp.types import JSONRPCError

        error: BaseException | None = None
        result: Any = None
        if isinstance(message, JSONRPCError):
            error = McpProtocolError(f"{message.error.code}: {message.error.message}")
        else:
            result = {k: v for k, v in message.result.items() if k != "_meta"}
            if result.get("isError"):
                error = McpToolError(_text_of(result))
        await self.guard.arecord_result(pending.call, pending.verdict, result, error)
        if pending.span is not None:
            if result is not None:
                self.spans.result(pending.span, result)
            kind = None
            if isinstance(error, McpProtocolError):
                kind = str(message.error.code)
            elif error is not None:
                kind = "tool_error"
            self.spans.finish(pending.span, error_type=kind, message=str(error or ""))

    def _done(self, request_id: str | int) -> None:
        if request_id in self._in_flight:
            self._in_flight.remove(request_id)
        for token in [t for t, r in self._progress.items() if r == request_id]:
            del self._progress[token]

    async def _send(self, stream: Any, message: Any, related: str | int | None = None) -> None:
        from mcp.shared.message import ServerMessageMetadata, SessionMessage

        metadata = (
            ServerMessageMetadata(related_request_id=related) if related is not None else None
        )
        await stream.send(SessionMessage(message, metadata=metadata))


def _text_of(result: dict[str, Any]) -> str:
    parts = [c.get("text", "") for c in result.get("content") or [] if isinstance(c, dict)]
    return " ".join(p for p in parts if p)[:2000] or "the tool reported an error"


# -- transports ---------------------------------------------------------------------------------------
def server_environment() -> dict[str, str]:
    """What the MCP server process inherits: this environment without AgentAudit's settings,
    so the server (audited, perhaps untrusted) never sees the audit's API key."""
    return {k: v for k, v in os.environ.items() if not k.startswith(SECRET_ENV_PREFIX)}


def stdio_upstream(command: list[str], *, cwd: str | None = None) -> Upstream:
    """Start the MCP server as a child process and talk to it over its stdin/stdout."""
    from mcp.client.stdio import StdioServerParameters, stdio_client

    params = StdioServerParameters(
        command=command[0], args=command[1:], env=server_environment(), cwd=cwd
    )

    @asynccontextmanager
    async def connect() -> AsyncIterator[Streams]:
        async with stdio_client(params, errlog=sys.stderr) as (read, write):
            yield read, write

    return connect


def http_upstream(url: str, headers: dict[str, str] | None = None) -> Upstream:
    """An MCP server reached over Streamable HTTP."""

    @asynccontextmanager
    async def connect() -> AsyncIterator[Streams]:
        import httpx
        from mcp.client.streamable_http import streamable_http_client

        client = httpx.AsyncClient(headers=headers, timeout=httpx.Timeout(30.0, read=300.0))
        async with client, streamable_http_client(url, http_client=client) as (read, write, _):
            yield read, write

    return connect


async def serve_stdio(make_gateway: Callable[[str], Gateway], upstream: Upstream) -> None:
    """One client on this process's stdin/stdout (the client started the gateway)."""
    from mcp.server.stdio import stdio_server

    async with stdio_server() as client, upstream() as server:
        await make_gateway("stdio").run(client, server)


class _SessionApp:
    """What `StreamableHTTPSessionManager` runs per client session: here, a gateway to a fresh
    upstream session (for a stdio server, a process of its own)."""

    def __init__(self, make_gateway: Callable[[str], Gateway], upstream: Upstream) -> None:
        self.make_gateway = make_gateway
        self.upstream = upstream

    def create_initialization_options(self) -> None:
        return None  # the upstream server answers initialize itself

    async def run(self, read: Any, write: Any, _options: Any, **_: Any) -> None:
        try:
            async with self.upstream() as server:
                await self.make_gateway("streamable-http").run((read, write), server)
        except Exception:
            log.exception("agentaudit mcp: the session ended with an error")


def http_app(
    make_gateway: Callable[[str], Gateway],
    upstream: Upstream,
    *,
    host: str,
    port: int,
    token: str | None = None,
    path: str = "/mcp",
) -> Any:
    """A Starlette app serving the gateway over Streamable HTTP at `path`. With `token`, clients
    must send `Authorization: Bearer <token>`; Host headers other than the listening address
    are refused (DNS rebinding)."""
    from mcp.server.streamable_http_manager import StreamableHTTPSessionManager
    from mcp.server.transport_security import TransportSecuritySettings
    from starlette.applications import Starlette
    from starlette.routing import Route

    hosts = {f"{host}:{port}", f"{host}:*"}
    if host in ("127.0.0.1", "localhost", "::1"):
        hosts |= {f"localhost:{port}", f"127.0.0.1:{port}", "localhost:*", "127.0.0.1:*"}
    security = TransportSecuritySettings(
        enable_dns_rebinding_protection=host not in ("0.0.0.0", "::"),
        allowed_hosts=sorted(hosts),
    )
    manager = StreamableHTTPSessionManager(
        app=_SessionApp(make_gateway, upstream),  # type: ignore[arg-type]
        security_settings=security,
    )

    @asynccontextmanager
    async def lifespan(_: Any) -> AsyncIterator[None]:
        async with manager.run():
            yield

    app = Starlette(routes=[Route(path, endpoint=_Endpoint(manager))], lifespan=lifespan)
    return token_guard(app, token) if token else app


class _Endpoint:
    """The session manager as a Starlette endpoint (a class: Starlette passes the raw call)."""

    def __init__(self, manager: Any) -> None:
        self.manager = manager

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        await self.manager.handle_request(scope, receive, send)


def token_guard(app: Any, token: str) -> Any:
    """`app` behind a bearer token: HTTP requests without `Authorization: Bearer <token>` get a
    401 (compared in constant time); lifespan events pass."""
    import hmac

    from starlette.responses import JSONResponse

    expected = f"Bearer {token}".encode()

    async def guarded(scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] == "http":
            given = dict(scope.get("headers") or []).get(b"authorization", b"")
            if not hmac.compare_digest(given, expected):
                response = JSONResponse({"detail": "missing or invalid token"}, 401)
                await response(scope, receive, send)
                return
        await app(scope, receive, send)

    return guarded


def make_gateway_factory(
    audit: Any,
    *,
    server_name: str | None = None,
    agent_id: str | None = None,
    spans: Any = None,
) -> Callable[[str], Gateway]:
    """One guard (over `audit`, an AsyncAgentAudit) for every session's gateway; a refused call
    is answered with an error result (the model sees the reason and carries on)."""
    guard = ToolCallGuard(audit, framework=FRAMEWORK, agent_id=agent_id, on_block="reject")

    def make(transport: str) -> Gateway:
        return Gateway(guard, server_name=server_name, transport=transport, spans=spans)

    return make
