"""Typed errors. Every error AgentAudit raises on purpose is an `AgentAuditError`.

Shaped like the OpenAI SDK's, so the names mean what users of that SDK expect:

    AgentAuditError
    ├── ConfigurationError          the client, store or server was set up wrongly
    ├── InvalidInputError           bad input, found before anything was sent (`.errors`)
    ├── APIError                    talking to the server failed
    │   ├── APIConnectionError      no answer (refused, DNS, reset) after the retries
    │   │   └── APITimeoutError     no answer in time after the retries
    │   └── APIStatusError          an error status (`.status_code`, `.body`)
    │       ├── BadRequestError             400
    │       ├── AuthenticationError         401
    │       ├── PermissionDeniedError       403
    │       ├── NotFoundError               404
    │       ├── ConflictError               409
    │       ├── UnprocessableEntityError    422 (also an InvalidInputError)
    │       ├── RateLimitError              429
    │       └── InternalServerError         5xx
    └── ActionBlocked               a tool call refused by policy

`ValidationError` is the old name of `InvalidInputError`, kept as an alias: `except
ValidationError` still catches bad input whether the client or the server found it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from agentaudit.models import Event

FieldErrors = list[dict[str, Any]]


class AgentAuditError(Exception):
    """Base of every AgentAudit error."""


class ConfigurationError(AgentAuditError):
    """The client, store or server was set up wrongly (bad URL, missing key, unknown scheme)."""


class InvalidInputError(AgentAuditError):
    """The input is wrong; `errors` lists each bad field as `{"loc", "msg", "type"}`, `loc`
    being its path (e.g. `["agent_id"]`, or `[1, "agent_id"]` for the second event of a batch)."""

    def __init__(self, message: str, *, errors: FieldErrors | None = None) -> None:
        super().__init__(message)
        self.errors: FieldErrors = errors or []


ValidationError = InvalidInputError  # the name before 0.2; clashes with pydantic's


class APIError(AgentAuditError):
    """Talking to the server failed: no answer, or an error status. `body` is what the server
    said (its `detail`), when it said anything."""

    def __init__(self, message: str, *, body: Any = None) -> None:
        super().__init__(message)
        self.message = message
        self.body = body


class APIConnectionError(APIError):
    """The server could not be reached (connection refused, DNS, reset) after the retries."""


class APITimeoutError(APIConnectionError):
    """The server did not answer in time after the retries."""


class APIStatusError(APIError):
    """The server answered with an error status; a status without a class of its own (413, 415)
    is raised as this class."""

    def __init__(self, message: str, *, status_code: int, body: Any = None) -> None:
        super().__init__(message, body=body)
        self.status_code = status_code


class BadRequestError(APIStatusError):
    """400: malformed JSON, or a body that is not UTF-8."""


class AuthenticationError(APIStatusError):
    """401: the API key is missing, unknown or revoked."""


class PermissionDeniedError(APIStatusError):
    """403: the key may not do this."""


class NotFoundError(APIStatusError):
    """404: no such event for this organisation."""


class ConflictError(APIStatusError):
    """409: the request conflicts with the server's state."""


class UnprocessableEntityError(APIStatusError, InvalidInputError):
    """422: the server found the input wrong; `errors` carries its field paths."""

    def __init__(
        self,
        message: str,
        *,
        status_code: int = 422,
        body: Any = None,
        errors: FieldErrors | None = None,
    ) -> None:
        APIStatusError.__init__(self, message, status_code=status_code, body=body)
        self.errors = errors or []


class RateLimitError(APIStatusError):
    """429 after the retries were used up."""


class InternalServerError(APIStatusError):
    """5xx after the retries were used up."""


STATUS_ERRORS: dict[int, type[APIStatusError]] = {
    400: BadRequestError,
    401: AuthenticationError,
    403: PermissionDeniedError,
    404: NotFoundError,
    409: ConflictError,
    422: UnprocessableEntityError,
    429: RateLimitError,
}


def status_error_class(status: int) -> type[APIStatusError]:
    """The class of the error raised for an error status."""
    if status >= 500:
        return InternalServerError
    return STATUS_ERRORS.get(status, APIStatusError)


class ActionBlocked(AgentAuditError):
    """A tool call was refused by policy. `event` is the audit event that records the refusal."""

    def __init__(self, event: Event, message: str | None = None) -> None:
        self.event = event
        super().__init__(message or f"blocked by AgentAudit policy: {event.reason or 'blocked'}")

    @property
    def reason(self) -> str | None:
        return self.event.reason
