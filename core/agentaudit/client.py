"""`AgentAudit` and `AsyncAgentAudit`: one API, embedded (local SQLite) or remote (HTTP).

Embedded is the default so a first run needs no server; a base URL (argument or
`AGENTAUDIT_URL`) makes the client remote (see `agentaudit.remote` and docs/sdk.md).
"""

from __future__ import annotations

import asyncio
import functools
import itertools
import os
from collections.abc import AsyncIterator, Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from pathlib import Path
from typing import Any, TypeVar

import pydantic

from agentaudit._http import FailMode, check_fail_mode
from agentaudit.aiact.client import AiActMethods, AsyncAiActMethods
from agentaudit.embedded import EmbeddedBackend
from agentaudit.errors import ConfigurationError, ValidationError
from agentaudit.models import Event, EventFilter, EventIn, EventPage, Policy, Stats
from agentaudit.store import VerifyResult

T = TypeVar("T")


def to_event_in(
    agent_id: str,
    action: str,
    data: dict[str, Any] | None = None,
    context: dict[str, Any] | None = None,
    reasoning: str | None = None,
) -> EventIn:
    """Validate one call locally, so bad input fails before anything is sent or stored."""
    try:
        return EventIn(
            agent_id=agent_id,
            action=action,
            data={} if data is None else data,
            context={} if context is None else context,
            reasoning=reasoning,
        )
    except pydantic.ValidationError as exc:
        raise validation_error(exc) from None


def validation_error(exc: pydantic.ValidationError) -> ValidationError:
    errors = [{"loc": list(e["loc"]), "msg": e["msg"], "type": e["type"]} for e in exc.errors()]
    where = "; ".join(f"{'.'.join(map(str, e['loc'])) or 'body'}: {e['msg']}" for e in errors)
    return ValidationError(f"invalid input: {where}", errors=errors)


def _coerce_events(events: list[EventIn | dict[str, Any]]) -> list[EventIn]:
    out = []
    for i, e in enumerate(events):
        if isinstance(e, EventIn):
            out.append(e)
            continue
        try:
            out.append(EventIn.model_validate(e))
        except pydantic.ValidationError as exc:
            err = validation_error(exc)
            for item in err.errors:
                item["loc"] = [i, *item["loc"]]
            raise ValidationError(f"event {i}: {err}", errors=err.errors) from None
    return out


def _filter(**filters: Any) -> EventFilter:
    try:
        return EventFilter(**{k: v for k, v in filters.items() if v is not None})
    except pydantic.ValidationError as exc:
        raise validation_error(exc) from None


def _is_remote(base_url: str | None) -> str | None:
    return base_url or os.environ.get("AGENTAUDIT_URL") or None


def _remote_options(url: str | None, db_path: object, options: dict[str, Any]) -> dict[str, Any]:
    """The options given (None = default); remote-only ones are refused in embedded mode."""
    given = {k: v for k, v in options.items() if v is not None}
    if url is not None and db_path is not None:
        raise ConfigurationError("give either base_url (remote) or db_path (embedded), not both")
    if url is None and given:
        raise ConfigurationError(
            f"options only used in remote mode (no base_url or AGENTAUDIT_URL): {sorted(given)}"
        )
    return given


class AgentAudit(AiActMethods):
    """Synchronous client. Thread-safe.

    `AgentAudit()` writes to `./agentaudit.db` (or `AGENTAUDIT_DB`);
    `AgentAudit(api_key=..., base_url=...)` talks to a server (key also from
    `AGENTAUDIT_API_KEY`).

    Both modes: `fail_mode` ("closed" blocks, "open" allows when no decision can be had) and
    `background` (`log()` defaults to `wait=False`). Remote only: `timeout` (seconds per attempt,
    default 5), `max_retries` (default 2), `batch_size` (default 1000), `flush_interval` (seconds,
    default 0.1), `max_queue` (default 100,000), `spool_dir` (default ~/.cache/agentaudit/spool).

    The AI Act register (`create_system`, `list_systems`, `get_compliance_status`, reports…)
    comes from `AiActMethods` (agentaudit/aiact/client.py).
    """

    def __init__(
        self,
        api_key: str | None = None,
        base_url: str | None = None,
        *,
        db_path: str | Path | None = None,
        fail_mode: FailMode = "closed",
        background: bool = False,
        timeout: float | None = None,
        max_retries: int | None = None,
        batch_size: int | None = None,
        flush_interval: float | None = None,
        max_queue: int | None = None,
        spool_dir: str | Path | None = None,
    ) -> None:
        url = _is_remote(base_url)
        options = _remote_options(
            url,
            db_path,
            {
                "timeout": timeout,
                "max_retries": max_retries,
                "batch_size": batch_size,
                "flush_interval": flush_interval,
                "max_queue": max_queue,
                "spool_dir": spool_dir,
            },
        )
        self._fail_mode = check_fail_mode(fail_mode)
        self.background = bool(background)
        if url is not None:
            from agentaudit.remote import RemoteBackend

            self._backend: Any = RemoteBackend(
                api_key=api_key, base_url=url, fail_mode=fail_mode, **options
            )
            self.mode = "remote"
        else:
            self._backend = EmbeddedBackend(db_path)
            self.mode = "embedded"

    @property
    def fail_mode(self) -> FailMode:
        """What a guard does when no decision can be had: "closed" blocks, "open" allows."""
        return self._fail_mode

    def __repr__(self) -> str:
        return f"AgentAudit(mode={self.mode!r}, backend={self._backend!r})"

    # -- events ------------------------------------------------------------------------------
    def log(
        self,
        agent_id: str,
        action: str,
        data: dict[str, Any] | None = None,
        context: dict[str, Any] | None = None,
        reasoning: str | None = None,
        *,
        idempotency_key: str | None = None,
        wait: bool | None = None,
    ) -> Event | None:
        """Classify, decide and record one tool call; the returned event carries the decision.

        `wait=False` (the default with `background=True`) does not wait for storage. Embedded,
        the decided event is returned at once and committed by a background writer; remote,
        the call is queued, sent in batches by a worker, and `None` is returned. Either way
        it is stored on `flush()`, `close()` and at exit at the latest.

        Remote, when the server cannot answer (after retries), the event returned follows
        `fail_mode` with reason "audit unavailable: …" and `context.audit_fallback = true`, and
        the call is spooled to disk and sent later.
        """
        event = to_event_in(agent_id, action, data, context, reasoning)
        if wait is None:
            wait = not self.background
        return self._backend.log(event, idempotency_key, wait=wait)

    def log_batch(
        self,
        events: list[EventIn | dict[str, Any]],
        *,
        idempotency_keys: list[str | None] | None = None,
    ) -> list[Event]:
        """Record several calls all-or-nothing (remote: per request of up to 1,000 events)."""
        return self._backend.log_batch(_coerce_events(events), idempotency_keys)

    def list_events(
        self,
        *,
        agent_id: str | None = None,
        action: str | None = None,
        risk_level: str | None = None,
        pii_detected: bool | None = None,
        decision: str | None = None,
        session_id: str | None = None,
        after: datetime | None = None,
        before: datetime | None = None,
        limit: int = 50,
        offset: int = 0,
        order: str = "desc",
    ) -> EventPage:
        """One page of events, newest first (`order="asc"`: oldest first)."""
        flt = _filter(
            agent_id=agent_id,
            action=action,
            risk_level=risk_level,
            pii_detected=pii_detected,
            decision=decision,
            session_id=session_id,
            after=after,
            before=before,
            limit=limit,
            offset=offset,
            order=order,
        )
        return self._backend.list_events(flt)

    def get_event(self, event_id: str) -> Event:
        return self._backend.get_event(event_id)

    def get_stats(self, *, after: datetime | None = None, before: datetime | None = None) -> Stats:
        return self._backend.get_stats(after, before)

    def get_policy(self) -> Policy:
        return self._backend.get_policy()

    def set_policy(self, policy: Policy | dict[str, Any]) -> Policy:
        """Replace the policy (a `Policy`) or update part of it (a dict; nested fields merge)."""
        try:
            return self._backend.set_policy(policy)
        except pydantic.ValidationError as exc:
            raise validation_error(exc) from None

    def iter_events(self) -> Iterator[Event]:
        """Every event of the organisation, oldest first (for exports)."""
        return self._backend.iter_events()

    def erase(self, event_id: str) -> bool:
        """Erase one event's payload (GDPR Art. 17); the chain stays verifiable."""
        return self._backend.erase(event_id)

    def verify(self) -> VerifyResult:
        return self._backend.verify()

    def flush(self) -> None:
        """Store everything logged with `wait=False` so far (remote: on the server, or spooled
        to disk if it cannot be reached; spooled events are re-sent now if it answers)."""
        self._backend.flush()

    def close(self) -> None:
        """Flush, then release the connection or database."""
        self._backend.close()

    def __enter__(self) -> AgentAudit:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class AsyncAgentAudit(AsyncAiActMethods):
    """The async mirror of `AgentAudit`. Embedded work runs in worker threads, so SQLite never
    blocks the event loop."""

    def __init__(
        self,
        api_key: str | None = None,
        base_url: str | None = None,
        *,
        db_path: str | Path | None = None,
        fail_mode: FailMode = "closed",
        background: bool = False,
        timeout: float | None = None,
        max_retries: int | None = None,
        batch_size: int | None = None,
        flush_interval: float | None = None,
        max_queue: int | None = None,
        spool_dir: str | Path | None = None,
    ) -> None:
        url = _is_remote(base_url)
        options = _remote_options(
            url,
            db_path,
            {
                "timeout": timeout,
                "max_retries": max_retries,
                "batch_size": batch_size,
                "flush_interval": flush_interval,
                "max_queue": max_queue,
                "spool_dir": spool_dir,
            },
        )
        self._fail_mode = check_fail_mode(fail_mode)
        self.background = bool(background)
        self._executor: ThreadPoolExecutor | None = None
        if url is not None:
            from agentaudit.remote import AsyncRemoteBackend

            self._remote: Any = AsyncRemoteBackend(
                api_key=api_key, base_url=url, fail_mode=fail_mode, **options
            )
            self._sync: EmbeddedBackend | None = None
            self.mode = "remote"
        else:
            self._remote = None
            self._sync = EmbeddedBackend(db_path)
            self._executor = ThreadPoolExecutor(max_workers=4, thread_name_prefix="agentaudit")
            self.mode = "embedded"

    @property
    def fail_mode(self) -> FailMode:
        """What a guard does when no decision can be had: "closed" blocks, "open" allows."""
        return self._fail_mode

    def __repr__(self) -> str:
        backend = self._remote if self._remote is not None else self._sync
        return f"AsyncAgentAudit(mode={self.mode!r}, backend={backend!r})"

    async def _call(self, name: str, *args: Any, **kwargs: Any) -> Any:
        if self._remote is not None:
            return await getattr(self._remote, name)(*args, **kwargs)
        fn: Callable[..., T] = getattr(self._sync, name)
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._executor, functools.partial(fn, *args, **kwargs))

    async def log(
        self,
        agent_id: str,
        action: str,
        data: dict[str, Any] | None = None,
        context: dict[str, Any] | None = None,
        reasoning: str | None = None,
        *,
        idempotency_key: str | None = None,
        wait: bool | None = None,
    ) -> Event | None:
        """See `AgentAudit.log`."""
        event = to_event_in(agent_id, action, data, context, reasoning)
        if wait is None:
            wait = not self.background
        if self._sync is not None and not wait:  # decided in-process, stored in the background
            return self._sync.log(event, idempotency_key, wait=False)
        return await self._call("log", event, idempotency_key, wait=wait)

    async def log_batch(
        self,
        events: list[EventIn | dict[str, Any]],
        *,
        idempotency_keys: list[str | None] | None = None,
    ) -> list[Event]:
        return await self._call("log_batch", _coerce_events(events), idempotency_keys)

    async def list_events(
        self,
        *,
        agent_id: str | None = None,
        action: str | None = None,
        risk_level: str | None = None,
        pii_detected: bool | None = None,
        decision: str | None = None,
        session_id: str | None = None,
        after: datetime | None = None,
        before: datetime | None = None,
        limit: int = 50,
        offset: int = 0,
        order: str = "desc",
    ) -> EventPage:
        """One page of events, newest first (`order="asc"`: oldest first)."""
        flt = _filter(
            agent_id=agent_id,
            action=action,
            risk_level=risk_level,
            pii_detected=pii_detected,
            decision=decision,
            session_id=session_id,
            after=after,
            before=before,
            limit=limit,
            offset=offset,
            order=order,
        )
        return await self._call("list_events", flt)

    async def get_event(self, event_id: str) -> Event:
        return await self._call("get_event", event_id)

    async def get_stats(
        self, *, after: datetime | None = None, before: datetime | None = None
    ) -> Stats:
        return await self._call("get_stats", after, before)

    async def get_policy(self) -> Policy:
        return await self._call("get_policy")

    async def set_policy(self, policy: Policy | dict[str, Any]) -> Policy:
        try:
            return await self._call("set_policy", policy)
        except pydantic.ValidationError as exc:
            raise validation_error(exc) from None

    async def iter_events(self) -> AsyncIterator[Event]:
        """Every event of the organisation, oldest first (for exports)."""
        if self._remote is not None:
            async for event in self._remote.iter_events():
                yield event
            return
        assert self._sync is not None
        loop = asyncio.get_running_loop()
        events = self._sync.iter_events()
        while True:
            page = await loop.run_in_executor(self._executor, list, itertools.islice(events, 500))
            for event in page:
                yield event
            if not page:
                return

    async def erase(self, event_id: str) -> bool:
        return await self._call("erase", event_id)

    async def verify(self) -> VerifyResult:
        return await self._call("verify")

    async def flush(self) -> None:
        await self._call("flush")

    async def close(self) -> None:
        await self._call("close")
        if self._executor is not None:
            self._executor.shutdown(wait=True)

    async def __aenter__(self) -> AsyncAgentAudit:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()
