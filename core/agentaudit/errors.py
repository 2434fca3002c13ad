"""Typed errors. Every error AgentAudit raises on purpose is an `AgentAuditError`."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from agentaudit.models import Event


class AgentAuditError(Exception):
    """Base of every AgentAudit error."""


class ConfigurationError(AgentAuditError):
    """The client, store or server was set up wrongly (bad URL, missing key, unknown scheme)."""


class APIStatusError(AgentAuditError):
    """The server answered with an error status."""

    def __init__(self, message: str, *, status_code: int, body: Any = None) -> None:
        super().__init__(message)
        self.status_code = status_code
        self.body = body


class AuthenticationError(APIStatusError):
    """401: the API key is missing, unknown or revoked."""


class NotFoundError(APIStatusError):
    """404: no such event for this organisation."""


class ValidationError(APIStatusError):
    """422 (or local validation): the input is wrong; `errors` lists each bad field's path."""

    def __init__(
        self,
        message: str,
        *,
        status_code: int = 422,
        body: Any = None,
        errors: list[dict[str, Any]] | None = None,
    ) -> None:
        super().__init__(message, status_code=status_code, body=body)
        self.errors = errors or []


class RateLimitError(APIStatusError):
    """429 after the retries were used up."""


class APIError(APIStatusError):
    """5xx after the retries were used up."""


class APIConnectionError(AgentAuditError):
    """The server could not be reached (connection refused, DNS, timeout) after retries."""


class APITimeoutError(APIConnectionError):
    """The server did not answer in time after retries."""


class ActionBlocked(AgentAuditError):
    """A tool call was refused by policy. `event` is the audit event that records the refusal."""

    def __init__(self, event: Event, message: str | None = None) -> None:
        self.event = event
        super().__init__(message or f"blocked by AgentAudit policy: {event.reason or 'blocked'}")

    @property
    def reason(self) -> str | None:
        return self.event.reason
