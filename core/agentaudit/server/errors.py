"""Every error leaves the server as JSON `{"detail": ...}`; a 500 never carries a traceback."""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from pydantic import ValidationError as PydanticValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException

from agentaudit.models import CONTEXT_VALUE_ERROR
from agentaudit.store import StoreUnavailable

log = logging.getLogger("agentaudit.server")

UNAUTHORIZED = "missing or invalid API key"


class ErrorOut(BaseModel):
    """The body of every error but 422: a sentence saying what went wrong."""

    detail: str


class FieldError(BaseModel):
    loc: list[str | int]
    msg: str
    type: str


class ValidationErrorOut(BaseModel):
    """422: one entry per bad field, `loc` being its path (e.g. ["body", "agent_id"])."""

    detail: list[FieldError]


def field_errors(exc: PydanticValidationError, prefix: tuple[str | int, ...]) -> list[dict]:
    """Pydantic's errors as JSON-safe dicts with the path from the request's root (down to the
    context key, for a bad filterable context value)."""
    out = []
    for e in exc.errors(include_url=False, include_input=False):
        loc = [*prefix, *e["loc"]]
        if e["type"] == CONTEXT_VALUE_ERROR:
            loc.append(e.get("ctx", {}).get("name", ""))
        out.append({"loc": loc, "msg": e["msg"], "type": e["type"]})
    return out


def error(status: int, detail: Any, headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse({"detail": detail}, status_code=status, headers=headers)


class ApiError(Exception):
    """Raised anywhere in a request to answer `status` with `detail`."""

    def __init__(self, status: int, detail: Any, headers: dict[str, str] | None = None) -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.headers = headers


def unauthorized() -> ApiError:
    return ApiError(401, UNAUTHORIZED, {"WWW-Authenticate": "Bearer"})


def unavailable(exc: StoreUnavailable) -> ApiError:
    """503 naming the cause (a full disk, a lock held too long, the database away) with when to
    try again; the request changed nothing."""
    log.warning("store unavailable: %s", exc.cause)
    return ApiError(
        503,
        f"the audit store cannot take this request now: {exc.cause}",
        {"Retry-After": str(exc.retry_after)},
    )


def install(app: FastAPI) -> None:
    @app.exception_handler(ApiError)
    async def _api_error(_: Request, exc: ApiError) -> JSONResponse:
        return error(exc.status, exc.detail, exc.headers)

    @app.exception_handler(RequestValidationError)
    async def _validation(_: Request, exc: RequestValidationError) -> JSONResponse:
        details = [
            {"loc": list(e.get("loc", ())), "msg": str(e.get("msg", "")), "type": e.get("type", "")}
            for e in exc.errors()
        ]
        return error(422, details)

    @app.exception_handler(StoreUnavailable)
    async def _unavailable(_: Request, exc: StoreUnavailable) -> JSONResponse:
        api = unavailable(exc)
        return error(api.status, api.detail, api.headers)

    @app.exception_handler(StarletteHTTPException)
    async def _http(_: Request, exc: StarletteHTTPException) -> JSONResponse:
        return error(exc.status_code, exc.detail, getattr(exc, "headers", None))

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
        # Starlette re-raises after this answer, so the server's log gets the traceback.
        log.error("unhandled %s on %s %s", type(exc).__name__, request.method, request.url.path)
        return error(500, "internal server error")
