"""What the OpenAPI document says about responses and hand-parsed request bodies.

POST/PUT bodies are read by hand (to bound their size and answer 400/413/415 before parsing), so
FastAPI cannot see their models; `json_body` documents them and app.py adds their schemas.
"""

from __future__ import annotations

from typing import Any, TypeAlias

from agentaudit.server.errors import ErrorOut, ValidationErrorOut

Responses: TypeAlias = dict[int | str, dict[str, Any]]
"""What FastAPI's `responses=` takes: status code -> its OpenAPI description."""

_ERRORS: dict[int, tuple[type, str]] = {
    400: (ErrorOut, "malformed JSON, a key twice in one JSON object, or a body that is not UTF-8"),
    401: (ErrorOut, "missing or invalid API key"),
    404: (ErrorOut, "no such event in this organisation"),
    409: (ErrorOut, "the event is an erasure record, which cannot be erased"),
    413: (ErrorOut, "body over the documented limit"),
    415: (ErrorOut, "Content-Type is not application/json"),
    422: (
        ValidationErrorOut,
        "a field is wrong (`loc` is its path), or an idempotency key was already used with "
        "another request",
    ),
    503: (
        ErrorOut,
        "the store cannot take the request now (disk full, a lock held too long, the database "
        "unreachable); nothing was changed: retry after `Retry-After` seconds",
    ),
}
RETRY_AFTER = {"Retry-After": {"description": "seconds to wait", "schema": {"type": "integer"}}}
REPLAY_HEADERS = {
    "Idempotent-Replayed": {
        "description": "`true` when the Idempotency-Key was stored with this same request "
        "before: the answer is the stored event and nothing new was stored",
        "schema": {"type": "string", "enum": ["true"]},
    }
}
BATCH_REPLAY_HEADERS = {
    "Idempotent-Replayed": {
        "description": "`true` when every stored event of the batch was stored before under "
        "its key with the same event; `partial` when some were "
        "(Idempotent-Replayed-Indexes lists them)",
        "schema": {"type": "string", "enum": ["true", "partial"]},
    },
    "Idempotent-Replayed-Indexes": {
        "description": "with `partial`: the batch positions of the replayed events",
        "schema": {"type": "string", "pattern": "^[0-9]+(,[0-9]+)*$"},
    },
}


def errors(*codes: int) -> Responses:
    out: Responses = {
        code: {"model": _ERRORS[code][0], "description": _ERRORS[code][1]} for code in codes
    }
    if 503 in out:
        out[503]["headers"] = RETRY_AFTER
    return out


def json_body(schema_name: str, description: str) -> dict[str, Any]:
    return {
        "requestBody": {
            "required": True,
            "description": description,
            "content": {
                "application/json": {"schema": {"$ref": f"#/components/schemas/{schema_name}"}}
            },
        }
    }
