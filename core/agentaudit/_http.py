"""The sans-I/O core of the remote clients: requests, retry schedule, error mapping, fallbacks.

`RemoteBackend` (sync) and `AsyncRemoteBackend` share every decision made here. Procedures are
generators that *yield operations* (`Call`, `Sleep`, spool operations in `agentaudit.batcher`)
and receive their results; each backend's driver runs an operation with blocking or async I/O
(`op.run(io)` / `await op.arun(io)`), so the two halves differ only in how they wait.
"""

from __future__ import annotations

import asyncio
import email.utils
import json
import random
import time
from collections.abc import Generator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, Protocol

import httpx

from agentaudit._version import __version__
from agentaudit.errors import (
    AgentAuditError,
    APIConnectionError,
    APIStatusError,
    APITimeoutError,
    ConfigurationError,
    InvalidInputError,
    UnprocessableEntityError,
    status_error_class,
)
from agentaudit.ids import new_id
from agentaudit.models import Decision, Event, EventIn
from agentaudit.protocols import FailMode

if TYPE_CHECKING:
    from agentaudit.spool import Spool

DEFAULT_TIMEOUT = 5.0
DEFAULT_MAX_RETRIES = 2
MAX_IDEMPOTENCY_KEY = 255
USER_AGENT = f"agentaudit-python/{__version__}"


def new_key() -> str:
    """A fresh idempotency key: one per logical event, reused by every retry and re-send."""
    return new_id()


def check_key(key: str | None, where: str = "idempotency_key") -> str | None:
    """The server refuses keys outside 1..255 characters; say so before anything is queued."""
    if key is None:
        return None
    if not isinstance(key, str) or not 1 <= len(key) <= MAX_IDEMPOTENCY_KEY:
        raise InvalidInputError(
            f"{where} must be a string of 1 to {MAX_IDEMPOTENCY_KEY} characters",
            errors=[{"loc": [where], "msg": "invalid idempotency key", "type": "value_error"}],
        )
    return key


def normalise_base_url(base_url: str) -> str:
    url = base_url.strip().rstrip("/")
    try:
        parsed = httpx.URL(url)
    except httpx.InvalidURL as exc:
        raise ConfigurationError(f"base_url {base_url!r} is not a URL: {exc}") from None
    if parsed.scheme not in ("http", "https") or not parsed.host:
        raise ConfigurationError(
            f"base_url must be an http:// or https:// URL with a host, not {base_url!r}"
        )
    return url


# -- retries --------------------------------------------------------------------------------------
@dataclass(frozen=True)
class RetryPolicy:
    """Exponential back-off with full jitter; Retry-After (capped) wins when the server sends it.

    Retried: connection errors, timeouts, 429 and 5xx. Never: any other 4xx (the same request
    would fail the same way). Every write carries an idempotency key, so retrying one is safe.
    """

    max_retries: int = DEFAULT_MAX_RETRIES
    base_delay: float = 0.25
    max_delay: float = 8.0
    max_retry_after: float = 30.0

    def delay(self, attempt: int, retry_after: float | None) -> float:
        if retry_after is not None:
            return min(max(retry_after, 0.0), self.max_retry_after)
        return random.uniform(0.0, min(self.max_delay, self.base_delay * 2**attempt))


def retryable(error: AgentAuditError) -> bool:
    if isinstance(error, APIConnectionError):
        return True
    return isinstance(error, APIStatusError) and (
        error.status_code == 429 or error.status_code >= 500
    )


def unavailable(error: BaseException) -> bool:
    """Errors that mean "no answer now" (so a decision falls back and events are spooled), as
    opposed to answers that are final (401, 404, 413, 422)."""
    return isinstance(error, AgentAuditError) and retryable(error)


def parse_retry_after(value: str | None) -> float | None:
    """Retry-After as seconds: an integer/decimal number or an HTTP date."""
    if not value:
        return None
    value = value.strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - datetime.now(UTC)).total_seconds())


# -- errors ---------------------------------------------------------------------------------------
def _detail(response: httpx.Response) -> Any:
    try:
        body = response.json()
    except (json.JSONDecodeError, UnicodeDecodeError):
        return response.text[:500] or None
    return body.get("detail", body) if isinstance(body, dict) else body


def status_error(response: httpx.Response) -> APIStatusError:
    """The typed error for an error response (the message never carries the API key)."""
    status = response.status_code
    detail = _detail(response)
    where = f"{response.request.method} {response.request.url.path}"
    if status == 422 and isinstance(detail, list):
        errors = [
            {"loc": list(e.get("loc", [])), "msg": str(e.get("msg", "")), "type": e.get("type", "")}
            for e in detail
            if isinstance(e, dict)
        ]
        paths = "; ".join(f"{'.'.join(map(str, e['loc'])) or 'body'}: {e['msg']}" for e in errors)
        return UnprocessableEntityError(f"422 from {where}: {paths}", body=detail, errors=errors)
    text = detail if isinstance(detail, str) else json.dumps(detail)
    return status_error_class(status)(
        f"{status} from {where}: {text}", status_code=status, body=detail
    )


def connection_error(exc: httpx.TransportError, method: str, path: str) -> APIConnectionError:
    kind = APITimeoutError if isinstance(exc, httpx.TimeoutException) else APIConnectionError
    reason = str(exc) or type(exc).__name__
    return kind(f"{method} {path}: {type(exc).__name__}: {reason}")


# -- operations -----------------------------------------------------------------------------------
class SyncIO(Protocol):
    http: httpx.Client
    spool: Spool


class AsyncIO(Protocol):
    http: httpx.AsyncClient
    spool: Spool


@dataclass(frozen=True, slots=True)
class Call:
    """One HTTP request; the driver answers with the `httpx.Response` or throws the transport
    error into the procedure."""

    method: str
    path: str
    params: dict[str, str] | None = None
    body: bytes | None = None
    idempotency_key: str | None = None

    def headers(self) -> dict[str, str]:
        headers = {}
        if self.body is not None:
            headers["Content-Type"] = "application/json"
        if self.idempotency_key is not None:
            headers["Idempotency-Key"] = self.idempotency_key
        return headers

    def run(self, io: SyncIO) -> httpx.Response:
        return io.http.request(
            self.method, self.path, params=self.params, content=self.body, headers=self.headers()
        )

    async def arun(self, io: AsyncIO) -> httpx.Response:
        return await io.http.request(
            self.method, self.path, params=self.params, content=self.body, headers=self.headers()
        )


@dataclass(frozen=True, slots=True)
class Sleep:
    seconds: float

    def run(self, io: SyncIO) -> None:
        time.sleep(self.seconds)

    async def arun(self, io: AsyncIO) -> None:
        await asyncio.sleep(self.seconds)


Procedure = Generator[Any, Any, Any]


def request(call: Call, policy: RetryPolicy, retries: int) -> Procedure:
    """Send `call`, retrying what may succeed later; returns the successful response or raises
    the typed error of the last attempt."""
    attempt = 0
    while True:
        retry_after: float | None = None
        try:
            response: httpx.Response = yield call
        except httpx.TransportError as exc:
            error: AgentAuditError = connection_error(exc, call.method, call.path)
        else:
            if response.status_code < 400:
                return response
            error = status_error(response)
            retry_after = parse_retry_after(response.headers.get("retry-after"))
        if attempt >= retries or not retryable(error):
            raise error
        yield Sleep(policy.delay(attempt, retry_after))
        attempt += 1


def run_sync(procedure: Procedure, io: SyncIO) -> Any:
    """Drive a procedure with blocking I/O."""
    value: Any = None
    error: BaseException | None = None
    while True:
        try:
            op = procedure.throw(error) if error is not None else procedure.send(value)
        except StopIteration as stop:
            return stop.value
        value, error = None, None
        try:
            value = op.run(io)
        except Exception as exc:
            error = exc


async def run_async(procedure: Procedure, io: AsyncIO) -> Any:
    """Drive a procedure with asyncio I/O."""
    value: Any = None
    error: BaseException | None = None
    while True:
        try:
            op = procedure.throw(error) if error is not None else procedure.send(value)
        except StopIteration as stop:
            return stop.value
        value, error = None, None
        try:
            value = await op.arun(io)
        except Exception as exc:
            error = exc


# -- fallback -------------------------------------------------------------------------------------
def fallback(event_in: EventIn, fail_mode: FailMode, error: BaseException) -> tuple[Event, EventIn]:
    """What a call gets when no decision can be had: `block` ("closed") or `allow` ("open") with
    reason "audit unavailable: …", classified locally so risk and PII fields are real, marked
    `context.audit_fallback`. Returns the event for the caller and the input to spool, which
    carries the same marker so the stored trail shows the gap."""
    from agentaudit.classifier import classify

    decision = Decision.BLOCK if fail_mode == "closed" else Decision.ALLOW
    context = {
        **event_in.context,
        "audit_fallback": True,
        "audit_fallback_decision": decision.value,
    }
    spooled = event_in.model_copy(update={"context": context})
    c = classify(
        event_in.agent_id, event_in.action, event_in.data, event_in.context, event_in.reasoning
    )
    now = datetime.now(UTC)
    event = Event(
        id=new_id(),
        agent_id=event_in.agent_id,
        action=event_in.action,
        data=event_in.data,
        context=context,
        reasoning=event_in.reasoning,
        risk_level=c.risk_level,
        pii_detected=c.pii_detected,
        pii_fields=c.pii_fields,
        secret_fields=c.secret_fields,
        frameworks=c.frameworks,
        created_at=now.replace(microsecond=now.microsecond // 1000 * 1000),
        stored=False,
        decision=decision,
        reason=f"audit unavailable: {error}"[:1000],
    )
    return event, spooled
