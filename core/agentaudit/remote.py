"""The remote backends: the `AgentAudit` / `AsyncAgentAudit` API over HTTP to an AgentAudit server.

Both implement the `EmbeddedBackend` method set. Requests, retries, error mapping and the fallback
rules live in `_http` and `batcher` as sans-I/O procedures; `RemoteBackend` runs them with
`httpx.Client` and a thread, `AsyncRemoteBackend` with `httpx.AsyncClient` and a task.

A decision (`log(wait=True)`, `log_batch`) that cannot be had — the server unreachable, timing
out, answering 5xx or 429 after the retries — follows `fail_mode`: "closed" returns a `block`,
"open" an `allow`, with reason "audit unavailable: …" and `context.audit_fallback = true`; the
call itself is spooled with that marker and its idempotency key, and sent when the server
answers again. Final answers (401, 404, 413, 422) raise their typed errors.
"""

from __future__ import annotations

import json
import os
import weakref
from collections.abc import AsyncIterator, Iterator, Sequence
from datetime import datetime
from typing import Any
from urllib.parse import quote

import httpx
import pydantic_core
from pydantic import TypeAdapter

from agentaudit._http import (
    DEFAULT_MAX_RETRIES,
    DEFAULT_TIMEOUT,
    USER_AGENT,
    Call,
    Procedure,
    RetryPolicy,
    check_key,
    fallback,
    new_key,
    normalise_base_url,
    request,
    run_async,
    run_sync,
    unavailable,
)
from agentaudit.approvals import Approval
from agentaudit.batcher import MAX_SERVER_BATCH, AsyncBatcher, BatchCore, Batcher, batch_body
from agentaudit.errors import AgentAuditError, ConfigurationError
from agentaudit.models import (
    Event,
    EventFilter,
    EventIn,
    EventPage,
    Policy,
    Stats,
    SubjectErasure,
    SubjectPage,
)
from agentaudit.options import ClientOptions
from agentaudit.policy_history import PolicyHistory
from agentaudit.protocols import FailMode
from agentaudit.spool import Record, Spool, spool_dir, spool_secret
from agentaudit.store import VerifyResult

PAGE = 200  # the server's largest page
DEFAULT_BATCH_SIZE = MAX_SERVER_BATCH
DEFAULT_FLUSH_INTERVAL = 0.1  # seconds a partial background batch may wait
DEFAULT_MAX_QUEUE = 100_000
_BATCH_OUT = TypeAdapter(dict[str, list[Event]])


def _query(flt: EventFilter) -> dict[str, str]:
    params: dict[str, str] = {}
    for name, value in flt.model_dump(exclude_none=True).items():
        if isinstance(value, bool):
            params[name] = "true" if value else "false"
        elif isinstance(value, datetime):
            params[name] = value.isoformat()
        else:
            params[name] = str(value)
    return params


def _range(after: datetime | None, before: datetime | None) -> dict[str, str]:
    flt = EventFilter(after=after, before=before)  # makes naive datetimes UTC
    return {k: v for k, v in _query(flt).items() if k in ("after", "before")}


def _policy_body(policy: dict[str, Any] | Policy) -> bytes:
    """PUT merges; a whole `Policy` sends every field, so it replaces."""
    if isinstance(policy, Policy):
        return policy.model_dump_json().encode()
    if not isinstance(policy, dict):
        raise TypeError(f"set_policy takes a Policy or a dict, not {type(policy).__name__}")
    return pydantic_core.to_json(policy)


class _Core:
    """Configuration and procedures shared by the sync and async backends."""

    def __init__(self, options: ClientOptions) -> None:
        if not options.base_url:
            raise ConfigurationError("remote mode needs base_url (or AGENTAUDIT_URL)")
        self.base_url = normalise_base_url(options.base_url)
        key = options.api_key or os.environ.get("AGENTAUDIT_API_KEY")
        if not key:
            raise ConfigurationError(
                "remote mode needs an API key: pass api_key= or set AGENTAUDIT_API_KEY"
            )
        self._api_key = key
        self.fail_mode: FailMode = options.fail_mode
        retries = DEFAULT_MAX_RETRIES if options.max_retries is None else options.max_retries
        if retries < 0:
            raise ConfigurationError(f"max_retries must be >= 0, not {retries}")
        self.policy = RetryPolicy(max_retries=retries)
        t = DEFAULT_TIMEOUT if options.timeout is None else options.timeout
        self.timeout = t if isinstance(t, httpx.Timeout) else httpx.Timeout(float(t))
        self.spool = Spool(
            spool_dir(self.base_url, key, options.spool_dir),
            secret=spool_secret(self.base_url, key),
        )
        try:
            self.batch = BatchCore(
                self.spool,
                self.policy,
                batch_size=DEFAULT_BATCH_SIZE if options.batch_size is None else options.batch_size,
                flush_interval=(
                    DEFAULT_FLUSH_INTERVAL
                    if options.flush_interval is None
                    else options.flush_interval
                ),
                max_queue=DEFAULT_MAX_QUEUE if options.max_queue is None else options.max_queue,
            )
        except ValueError as exc:
            raise ConfigurationError(str(exc)) from None

    def http_options(self) -> dict[str, Any]:
        return {
            "base_url": self.base_url,
            "timeout": self.timeout,
            "headers": {"Authorization": f"Bearer {self._api_key}", "User-Agent": USER_AGENT},
        }

    def __repr__(self) -> str:  # never the key
        return f"<remote {self.base_url} fail_mode={self.fail_mode}>"

    # -- procedures --------------------------------------------------------------------------------
    def _retries(self) -> int:
        """One attempt while the server is known to be down (decisions fall back at once)."""
        return 0 if self.batch.down else self.policy.max_retries

    def get(self, path: str, params: dict[str, str] | None = None) -> Procedure:
        response = yield from request(Call("GET", path, params), self.policy, self._retries())
        return response

    def log(self, event_in: EventIn, key: str | None) -> Procedure:
        key = key or new_key()
        call = Call(
            "POST", "/v1/events", body=event_in.model_dump_json().encode(), idempotency_key=key
        )
        try:
            response = yield from request(call, self.policy, self._retries())
        except AgentAuditError as exc:
            if not unavailable(exc):
                raise
            event, spooled = fallback(event_in, self.fail_mode, exc)
            yield from self.batch.spooled([Record(key, spooled)], exc)
            return event
        self.batch.mark_up()
        return Event.model_validate_json(response.content)

    def log_batch(self, events: Sequence[EventIn], keys: Sequence[str | None] | None) -> Procedure:
        """All-or-nothing per request of up to 1,000 events (larger lists are sent in chunks)."""
        if keys is not None and len(keys) != len(events):
            raise ConfigurationError(
                f"idempotency_keys has {len(keys)} entries for {len(events)} events"
            )
        records = [
            Record(check_key(k, f"idempotency_keys[{i}]") or new_key(), e)
            for i, (e, k) in enumerate(zip(events, keys or [None] * len(events), strict=True))
        ]
        out: list[Event] = []
        for start in range(0, len(records), MAX_SERVER_BATCH):
            chunk = records[start : start + MAX_SERVER_BATCH]
            call = Call("POST", "/v1/events/batch", body=batch_body(chunk))
            try:
                response = yield from request(call, self.policy, self._retries())
            except AgentAuditError as exc:
                if not unavailable(exc):
                    raise
                pairs = [
                    fallback(e, self.fail_mode, exc)
                    for e in events[start : start + MAX_SERVER_BATCH]
                ]
                spooled = [Record(r.key, s) for r, (_, s) in zip(chunk, pairs, strict=True)]
                yield from self.batch.spooled(spooled, exc)
                out.extend(e for e, _ in pairs)
                continue
            self.batch.mark_up()
            out.extend(_BATCH_OUT.validate_json(response.content)["events"])
        return out

    def list_events(self, flt: EventFilter) -> Procedure:
        response = yield from self.get("/v1/events", _query(flt))
        return EventPage.model_validate_json(response.content)

    def page(self, offset: int) -> Procedure:
        params = {"limit": str(PAGE), "offset": str(offset), "order": "asc"}
        response = yield from self.get("/v1/events", params)
        return EventPage.model_validate_json(response.content)

    def get_event(self, event_id: str) -> Procedure:
        response = yield from self.get(f"/v1/events/{_segment(event_id)}")
        return Event.model_validate_json(response.content)

    def get_stats(self, after: datetime | None, before: datetime | None) -> Procedure:
        response = yield from self.get("/v1/events/stats", _range(after, before))
        return Stats.model_validate_json(response.content)

    def get_policy(self) -> Procedure:
        response = yield from self.get("/v1/org/policy")
        return Policy.model_validate_json(response.content)

    def set_policy(self, policy: dict[str, Any] | Policy) -> Procedure:
        call = Call("PUT", "/v1/org/policy", body=_policy_body(policy))
        response = yield from request(call, self.policy, self._retries())
        return Policy.model_validate_json(response.content)

    def policy_history(self, limit: int, offset: int) -> Procedure:
        params = {"limit": str(limit), "offset": str(offset)}
        response = yield from self.get("/v1/policy/history", params)
        return PolicyHistory.model_validate_json(response.content)

    def erase(self, event_id: str) -> Procedure:
        call = Call("DELETE", f"/v1/events/{_segment(event_id)}/payload")
        yield from request(call, self.policy, self._retries())
        return True

    def search_subject(self, value: str, typ: str | None, limit: int, offset: int) -> Procedure:
        # the value goes in the body, never the URL (access logs, proxies: docs/subjects.md)
        body = {"value": value, "type": typ, "limit": limit, "offset": offset}
        call = Call("POST", "/v1/subjects/search", body=json.dumps(body).encode())
        response = yield from request(call, self.policy, self._retries())
        return SubjectPage.model_validate_json(response.content)

    def erase_subject(self, value: str, typ: str | None) -> Procedure:
        body = {"value": value, "type": typ}
        call = Call("POST", "/v1/subjects/erase", body=json.dumps(body).encode())
        response = yield from request(call, self.policy, self._retries())
        return SubjectErasure.model_validate_json(response.content)

    def get_approval(self, approval_id: str) -> Procedure:
        response = yield from self.get(f"/v1/approvals/{_segment(approval_id)}")
        return Approval.model_validate_json(response.content)

    def list_approvals(self, state: str | None, limit: int) -> Procedure:
        params = {"limit": str(limit), **({"state": state} if state else {})}
        response = yield from self.get("/v1/approvals", params)
        return [Approval.model_validate(a) for a in response.json()["approvals"]]

    def decide_approval(self, approval_id: str, decision: str, comment: str | None) -> Procedure:
        body = json.dumps({"decision": decision, "comment": comment}).encode()
        call = Call("POST", f"/v1/approvals/{_segment(approval_id)}", body=body)
        response = yield from request(call, self.policy, self._retries())
        return Approval.model_validate_json(response.content)

    def verify(self) -> Procedure:
        response = yield from self.get("/v1/verify")
        body = response.json()
        return VerifyResult(
            ok=body["ok"],
            checked=body["checked"],
            head_seq=body["head_seq"],
            error=body.get("error"),
            broken_seq=body.get("broken_seq"),
            broken_id=body.get("broken_id"),
            checkpoints=body.get("checkpoints", 0),
            checkpoint=body.get("checkpoint"),
        )


def _segment(event_id: str) -> str:
    """An id as one path segment (an id with '/' must not address another route)."""
    if not event_id:
        raise ConfigurationError("event_id must not be empty")
    return quote(event_id, safe="")


class _RemoteBase:
    """What both remote backends show of their configuration."""

    _core: _Core

    @property
    def fail_mode(self) -> FailMode:
        return self._core.fail_mode

    @property
    def base_url(self) -> str:
        return self._core.base_url

    @property
    def location(self) -> str:
        return self._core.base_url

    def __repr__(self) -> str:
        return f"{type(self).__name__}{self._core!r}"


class RemoteBackend(_RemoteBase):
    """Synchronous and thread-safe (one `httpx.Client`, one batcher thread)."""

    def __init__(self, options: ClientOptions) -> None:
        self._core = _Core(options)
        self.http = httpx.Client(**self._core.http_options())
        self.spool = self._core.spool
        self._batcher = Batcher(self._core.batch, self, run_sync)
        if self._core.batch.spool_pending:  # an earlier process left events: send them now
            self._batcher.start()
        ref = weakref.ref(self)

        def after_fork_in_child() -> None:
            backend = ref()
            if backend is not None:
                backend._after_fork()

        os.register_at_fork(after_in_child=after_fork_in_child)

    def _after_fork(self) -> None:
        """A forked child gets its own connections and worker (sockets are not shareable)."""
        self.http = httpx.Client(**self._core.http_options())
        self._batcher.after_fork()

    def _run(self, procedure: Procedure) -> Any:
        if self.http.is_closed:
            procedure.close()
            raise AgentAuditError("the audit client is closed")
        return run_sync(procedure, self)

    def log(
        self, event: EventIn, idempotency_key: str | None = None, *, wait: bool = True
    ) -> Event | None:
        key = check_key(idempotency_key)
        if not wait:
            self._batcher.submit(event, key)
            return None
        if self._core.batch.queue:
            # What this client queued before (a tool's result, say) reaches the server first:
            # provenance judges this call by the results it has seen.
            self._batcher.flush()
        result = self._run(self._core.log(event, key))
        if self._core.batch.spool_pending:
            self._batcher.start()  # a fallback spooled the call: the worker will send it
        return result

    def log_batch(
        self, events: list[EventIn], idempotency_keys: list[str | None] | None = None
    ) -> list[Event]:
        result = self._run(self._core.log_batch(events, idempotency_keys))
        if self._core.batch.spool_pending:
            self._batcher.start()
        return result

    def list_events(self, flt: EventFilter) -> EventPage:
        return self._run(self._core.list_events(flt))

    def get_event(self, event_id: str) -> Event:
        return self._run(self._core.get_event(event_id))

    def get_stats(self, after: datetime | None = None, before: datetime | None = None) -> Stats:
        return self._run(self._core.get_stats(after, before))

    def get_policy(self) -> Policy:
        return self._run(self._core.get_policy())

    def set_policy(self, patch: dict[str, Any] | Policy) -> Policy:
        return self._run(self._core.set_policy(patch))

    def policy_history(self, limit: int = 50, offset: int = 0) -> PolicyHistory:
        return self._run(self._core.policy_history(limit, offset))

    def iter_events(self) -> Iterator[Event]:
        offset = 0
        while True:
            page: EventPage = self._run(self._core.page(offset))
            yield from page.events
            offset += len(page.events)
            if not page.events or offset >= page.total:
                return

    def erase(self, event_id: str) -> bool:
        return self._run(self._core.erase(event_id))

    def search_subject(
        self, value: str, type: str | None = None, limit: int = 50, offset: int = 0
    ) -> SubjectPage:
        return self._run(self._core.search_subject(value, type, limit, offset))

    def erase_subject(self, value: str, type: str | None = None) -> SubjectErasure:
        return self._run(self._core.erase_subject(value, type))

    def get_approval(self, approval_id: str) -> Approval:
        return self._run(self._core.get_approval(approval_id))

    def list_approvals(self, state: str | None = None, limit: int = 100) -> list[Approval]:
        return self._run(self._core.list_approvals(state, limit))

    def decide_approval(
        self, approval_id: str, decision: str, comment: str | None = None
    ) -> Approval:
        return self._run(self._core.decide_approval(approval_id, decision, comment))

    def verify(self) -> VerifyResult:
        return self._run(self._core.verify())

    def flush(self, timeout: float | None = None) -> None:
        """Everything logged so far is on the server, or durably spooled if it is away."""
        self._batcher.flush(timeout)

    def close(self) -> None:
        self._batcher.close()
        self.http.close()


class AsyncRemoteBackend(_RemoteBase):
    """The asyncio mirror of `RemoteBackend` (one `httpx.AsyncClient`, one batcher task)."""

    def __init__(self, options: ClientOptions) -> None:
        self._core = _Core(options)
        self.http = httpx.AsyncClient(**self._core.http_options())
        self.spool = self._core.spool
        self._batcher = AsyncBatcher(self._core.batch, self, run_async)

    async def _run(self, procedure: Procedure) -> Any:
        if self.http.is_closed:
            procedure.close()
            raise AgentAuditError("the audit client is closed")
        if self._core.batch.spool_pending:  # an earlier process (or a fallback) left events
            self._batcher.start()
        return await run_async(procedure, self)

    async def log(
        self, event: EventIn, idempotency_key: str | None = None, *, wait: bool = True
    ) -> Event | None:
        key = check_key(idempotency_key)
        if not wait:
            await self._batcher.submit(event, key)
            return None
        if self._core.batch.queue:  # what was queued before goes first (see RemoteBackend.log)
            await self._batcher.flush()
        result = await self._run(self._core.log(event, key))
        if self._core.batch.spool_pending:
            self._batcher.start()
        return result

    async def log_batch(
        self, events: list[EventIn], idempotency_keys: list[str | None] | None = None
    ) -> list[Event]:
        result = await self._run(self._core.log_batch(events, idempotency_keys))
        if self._core.batch.spool_pending:
            self._batcher.start()
        return result

    async def list_events(self, flt: EventFilter) -> EventPage:
        return await self._run(self._core.list_events(flt))

    async def get_event(self, event_id: str) -> Event:
        return await self._run(self._core.get_event(event_id))

    async def get_stats(
        self, after: datetime | None = None, before: datetime | None = None
    ) -> Stats:
        return await self._run(self._core.get_stats(after, before))

    async def get_policy(self) -> Policy:
        return await self._run(self._core.get_policy())

    async def set_policy(self, patch: dict[str, Any] | Policy) -> Policy:
        return await self._run(self._core.set_policy(patch))

    async def policy_history(self, limit: int = 50, offset: int = 0) -> PolicyHistory:
        return await self._run(self._core.policy_history(limit, offset))

    async def iter_events(self) -> AsyncIterator[Event]:
        offset = 0
        while True:
            page: EventPage = await self._run(self._core.page(offset))
            for event in page.events:
                yield event
            offset += len(page.events)
            if not page.events or offset >= page.total:
                return

    async def erase(self, event_id: str) -> bool:
        return await self._run(self._core.erase(event_id))

    async def search_subject(
        self, value: str, type: str | None = None, limit: int = 50, offset: int = 0
    ) -> SubjectPage:
        return await self._run(self._core.search_subject(value, type, limit, offset))

    async def erase_subject(self, value: str, type: str | None = None) -> SubjectErasure:
        return await self._run(self._core.erase_subject(value, type))

    async def get_approval(self, approval_id: str) -> Approval:
        return await self._run(self._core.get_approval(approval_id))

    async def list_approvals(self, state: str | None = None, limit: int = 100) -> list[Approval]:
        return await self._run(self._core.list_approvals(state, limit))

    async def decide_approval(
        self, approval_id: str, decision: str, comment: str | None = None
    ) -> Approval:
        return await self._run(self._core.decide_approval(approval_id, decision, comment))

    async def verify(self) -> VerifyResult:
        return await self._run(self._core.verify())

    async def flush(self) -> None:
        await self._batcher.flush()

    async def close(self) -> None:
        await self._batcher.close()
        await self.http.aclose()
