"""What the OpenAPI document says about responses and hand-parsed request bodies.

POST/PUT bodies are read by hand (to bound their size and answer 400/413/415 before parsing), so
FastAPI cannot see their models; `json_body` documents them and app.py adds their schemas.
"""

from __future__ import annotations

from typing import Any

from agentaudit.server.errors import ErrorOut, ValidationErrorOut

_ERRORS: dict[int, tuple[type, str]] = {
    400: (ErrorOut, "malformed JSON, or a body that is not UTF-8"),
    401: (ErrorOut, "missing or invalid API key"),
    404: (ErrorOut, "no such event in this organisation"),
    413: (ErrorOut, "body over the documented limit"),
    415: (ErrorOut, "Content-Type is not application/json"),
    422: (ValidationErrorOut, "a field is wrong; `loc` is its path"),
}


def errors(*codes: int) -> dict[int | str, dict[str, Any]]:
    return {code: {"model": _ERRORS[code][0], "description": _ERRORS[code][1]} for code in codes}


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
