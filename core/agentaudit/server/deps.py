"""What every route needs: the service, the caller's organisation, a bounded JSON body."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Annotated, Any, TypeVar

import jiter
import pydantic_core
from fastapi import Depends, Header, Request
from pydantic import BaseModel
from pydantic import ValidationError as PydanticValidationError

from agentaudit.server.committer import GroupCommitter
from agentaudit.server.errors import ApiError, field_errors, unauthorized
from agentaudit.server.keys import KeyCache, org_for_key
from agentaudit.server.lanes import ClassifyLanes
from agentaudit.service import AuditService

KiB = 1024
MiB = 1024 * KiB
EVENT_BODY_LIMIT = 1 * MiB
BATCH_BODY_LIMIT = 16 * MiB
POLICY_BODY_LIMIT = 64 * KiB
MAX_IDEMPOTENCY_KEY = 255

M = TypeVar("M", bound=BaseModel)


def lanes(request: Request) -> ClassifyLanes:
    """The threads that parse and classify writes (lanes.py)."""
    return request.app.state.lanes


def service(request: Request) -> AuditService:
    return request.app.state.service


def committer(request: Request) -> GroupCommitter:
    return request.app.state.committer


def bearer(request: Request) -> str | None:
    return bearer_token(request.headers.get("authorization"))


def bearer_token(header: str | None) -> str | None:
    """The token of an `Authorization: Bearer <token>` header, else None."""
    if not header:
        return None
    scheme, _, token = header.partition(" ")
    return token.strip() if scheme.lower() == "bearer" else None


def authenticate(request: Request) -> str:
    """The caller's organisation id; 401 (one answer for missing and bad keys) otherwise."""
    org_id = org_for_key(service(request).store, bearer(request))
    if org_id is None:
        raise unauthorized()
    return org_id


OrgId = Annotated[str, Depends(authenticate)]


def authenticate_write(request: Request) -> tuple[str, str]:
    """(organisation id, key hash) of a write's caller through the key cache (keys.KeyCache);
    the write must pass the hash to the committer, which re-checks it as it commits."""
    identity = key_cache(request).org(bearer(request), service(request).store)
    if identity is None:
        raise unauthorized()
    return identity


def key_cache(request: Request) -> KeyCache:
    return request.app.state.key_cache


async def idempotency_key(
    key: Annotated[
        str | None,
        Header(
            alias="Idempotency-Key",
            min_length=1,
            max_length=MAX_IDEMPOTENCY_KEY,
            description="a repeat with the same key returns the first result and stores nothing",
        ),
    ] = None,
) -> str | None:
    return key


async def read_body(request: Request, limit: int) -> bytes:
    """The raw body, refused with 415 unless JSON and 413 beyond `limit` bytes."""
    headers = request.headers
    return await read_limited(
        headers.get("content-type"), headers.get("content-length"), request.stream(), limit
    )


async def read_limited(
    content_type: str | None,
    content_length: str | None,
    chunks: AsyncIterator[bytes],
    limit: int,
) -> bytes:
    """Check the content type (415) and the declared and actual size (413), then read."""
    media = (content_type or "").partition(";")[0].strip().lower()
    if media != "application/json" and not (
        media.startswith("application/") and media.endswith("+json")
    ):
        raise ApiError(415, "Content-Type must be application/json")
    if content_length is not None:
        try:
            too_big = int(content_length) > limit
        except ValueError:
            raise ApiError(400, "Content-Length is not a number") from None
        if too_big:
            raise ApiError(413, f"body larger than the limit of {limit} bytes")
    body = bytearray()
    async for chunk in chunks:
        body += chunk
        if len(body) > limit:
            raise ApiError(413, f"body larger than the limit of {limit} bytes")
    return bytes(body)


def _check_text(body: bytes) -> None:
    """UTF-8, and no key twice in one JSON object: 400 otherwise. With a duplicate, which
    value counts is up to the parser (the last, for ours): `{"cmd": "rm -rf /", "cmd": "ls"}`
    would be judged as `ls` while another reader of the same body sees `rm -rf /`."""
    try:
        body.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ApiError(400, f"body is not valid UTF-8 (byte {exc.start})") from None
    try:
        jiter.from_json(body, catch_duplicate_keys=True, cache_mode="keys")
    except ValueError as exc:
        text = str(exc)
        if text.startswith("Detected duplicate key"):
            where = text.removeprefix("Detected duplicate key").strip()
            raise ApiError(
                400, f"duplicate key {where}: each key may appear once in a JSON object"
            ) from None
        raise ApiError(400, f"malformed JSON: {text}") from None


def parse_model(body: bytes, model: type[M]) -> M:
    """Validate a JSON body: 400 if it is not JSON at all (or repeats a key in an object),
    422 with paths if a field is wrong."""
    _check_text(body)
    try:
        return model.model_validate_json(body)
    except PydanticValidationError as exc:
        errors = exc.errors(include_url=False, include_context=False, include_input=False)
        if errors and errors[0]["type"] == "json_invalid":
            raise ApiError(400, f"malformed JSON: {errors[0]['msg']}") from None
        raise ApiError(422, field_errors(exc, ("body",))) from None


def parse_object(body: bytes) -> dict[str, Any]:
    """A JSON object (no NaN/Infinity, bounded nesting, no key twice): 400 if malformed, 422 if
    not an object."""
    _check_text(body)
    try:
        value = pydantic_core.from_json(body, allow_inf_nan=False)
    except ValueError as exc:
        raise ApiError(400, f"malformed JSON: {exc}") from None
    if not isinstance(value, dict):
        raise ApiError(
            422, [{"loc": ["body"], "msg": "must be a JSON object", "type": "dict_type"}]
        )
    return value
