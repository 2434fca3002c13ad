"""POST /v1/events without FastAPI's routing, middlewares and dependency machinery.

Ingest is the hot path: FastAPI's router, dependency solving, telemetry check (it reads the
environment on every request) and exception middlewares cost about as much as classify, decide
and store together. `FastIngest` wraps the whole app, outermost, and answers exactly
`POST /v1/events` with the very functions the route in routers/events.py uses (auth, bounded
body, `record_one`), so the answers are the same (tests run both); the route stays as the
OpenAPI description and for the bare app of `create_app`. Everything else goes to the app.
"""

from __future__ import annotations

import json
import logging
from collections.abc import AsyncIterator
from typing import Any

from fastapi import FastAPI
from starlette.types import Message, Receive, Scope, Send

from agentaudit.server.deps import (
    EVENT_BODY_LIMIT,
    MAX_IDEMPOTENCY_KEY,
    bearer_token,
    read_limited,
)
from agentaudit.server.errors import ApiError, unauthorized, unavailable
from agentaudit.server.routers.events import REPLAYED, record_one
from agentaudit.store import StoreUnavailable

log = logging.getLogger("agentaudit.server")
PATH = "/v1/events"


class ClientGone(Exception):
    """The client disconnected before its body arrived; there is nobody to answer."""


class FastIngest:
    """The ASGI app a server process runs: `app` behind a fast path for single events."""

    def __init__(self, app: FastAPI) -> None:
        self.app = app
        self.service = app.state.service
        self.committer = app.state.committer
        self.key_cache = app.state.key_cache
        self.lanes = app.state.lanes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"] != PATH or scope["method"] != "POST":
            await self.app(scope, receive, send)
            return
        headers: dict[str, str] = {}
        for name, value in scope["headers"]:
            headers.setdefault(name.decode("latin-1").lower(), value.decode("latin-1"))
        try:
            identity = self.key_cache.org(
                bearer_token(headers.get("authorization")), self.service.store
            )
            if identity is None:
                raise unauthorized()
            idem = _idempotency_key(headers.get("idempotency-key"))
            body = await read_limited(
                headers.get("content-type"),
                headers.get("content-length"),
                _chunks(receive),
                EVENT_BODY_LIMIT,
            )
            event, replayed = await record_one(
                self.service, self.committer, self.key_cache, self.lanes, identity, body, idem
            )
        except ApiError as exc:
            await _answer(send, exc.status, {"detail": exc.detail}, exc.headers)
        except StoreUnavailable as exc:
            api = unavailable(exc)
            await _answer(send, api.status, {"detail": api.detail}, api.headers)
        except ClientGone:
            return
        except Exception as exc:
            log.exception("unhandled %s on POST %s", type(exc).__name__, PATH)
            await _answer(send, 500, {"detail": "internal server error"})
        else:
            await _send(
                send,
                201,
                event.model_dump_json().encode(),
                {REPLAYED: "true"} if replayed else None,
            )


def _idempotency_key(value: str | None) -> str | None:
    """The same checks (and 422 shape) as the `Idempotency-Key` header of the route."""
    if value is None:
        return None
    if not value:
        kind, msg = "string_too_short", "String should have at least 1 character"
    elif len(value) > MAX_IDEMPOTENCY_KEY:
        kind, msg = (
            "string_too_long",
            f"String should have at most {MAX_IDEMPOTENCY_KEY} characters",
        )
    else:
        return value
    raise ApiError(422, [{"loc": ["header", "Idempotency-Key"], "msg": msg, "type": kind}])


async def _chunks(receive: Receive) -> AsyncIterator[bytes]:
    while True:
        message: Message = await receive()
        if message["type"] == "http.disconnect":
            raise ClientGone
        yield message.get("body", b"")
        if not message.get("more_body", False):
            return


async def _answer(
    send: Send, status: int, payload: Any, headers: dict[str, str] | None = None
) -> None:
    await _send(send, status, json.dumps(payload).encode(), headers)


async def _send(
    send: Send, status: int, body: bytes, headers: dict[str, str] | None = None
) -> None:
    raw = [
        (b"content-type", b"application/json"),
        (b"content-length", str(len(body)).encode()),
    ]
    raw += [(k.lower().encode("latin-1"), v.encode("latin-1")) for k, v in (headers or {}).items()]
    await send({"type": "http.response.start", "status": status, "headers": raw})
    await send({"type": "http.response.body", "body": body})
