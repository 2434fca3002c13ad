"""`AgentAudit` and `AsyncAgentAudit`: one API, embedded (local SQLite) or remote (HTTP).

Embedded is the default so a first run needs no server; a base URL (argument or
`AGENTAUDIT_URL`) makes the client remote.
"""

from __future__ import annotations

import asyncio
import functools
import os
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from pathlib import Path
from typing import Any, TypeVar

import pydantic

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


class AgentAudit:
    """Synchronous client. Thread-safe.

    `AgentAudit()` writes to `./agentaudit.db` (or `AGENTAUDIT_DB`);
    `AgentAudit(api_key=..., base_url=...)` talks to a server.
    """

    def __init__(
        self,
        api_key: str | None = None,
        base_url: str | None = None,
        *,
        db_path: str | Path | None = None,
        **options: Any,
    ) -> None:
        url = _is_remote(base_url)
        if url is not None and db_path is not None:
            raise ConfigurationError(
                "give either base_url (remote) or db_path (embedded), not both"
            )
        if url is not None:
            from agentaudit.remote import RemoteBackend

            self._backend: Any = RemoteBackend(api_key=api_key, base_url=url, **options)
            self.mode = "remote"
        else:
            if options:
                raise ConfigurationError(f"options not used in embedded mode: {sorted(options)}")
            self._backend = EmbeddedBackend(db_path)
            self.mode = "embedded"

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
        wait: bool = True,
    ) -> Event | None:
        """Classify, decide and record one tool call; the returned event carries the decision.

        `wait=False` does not wait for storage: embedded, the decided event is returned at once
        and committed by a background writer (on `flush()`, `close()` and exit at the latest).
        """
        event = to_event_in(agent_id, action, data, context, reasoning)
        return self._backend.log(event, idempotency_key, wait=wait)

    def log_batch(self, events: list[EventIn | dict[str, Any]]) -> list[Event]:
        """Record several calls all-or-nothing."""
        return self._backend.log_batch(_coerce_events(events))

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
    ) -> EventPage:
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
        self._backend.flush()

    def close(self) -> None:
        self._backend.close()

    def __enter__(self) -> AgentAudit:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class AsyncAgentAudit:
    """The async mirror of `AgentAudit`. Embedded work runs in worker threads, so SQLite never
    blocks the event loop."""

    def __init__(
        self,
        api_key: str | None = None,
        base_url: str | None = None,
        *,
        db_path: str | Path | None = None,
        **options: Any,
    ) -> None:
        url = _is_remote(base_url)
        if url is not None and db_path is not None:
            raise ConfigurationError(
                "give either base_url (remote) or db_path (embedded), not both"
            )
        self._executor: ThreadPoolExecutor | None = None
        if url is not None:
            from agentaudit.remote import AsyncRemoteBackend

            self._remote: Any = AsyncRemoteBackend(api_key=api_key, base_url=url, **options)
            self._sync: EmbeddedBackend | None = None
            self.mode = "remote"
        else:
            if options:
                raise ConfigurationError(f"options not used in embedded mode: {sorted(options)}")
            self._remote = None
            self._sync = EmbeddedBackend(db_path)
            self._executor = ThreadPoolExecutor(max_workers=4, thread_name_prefix="agentaudit")
            self.mode = "embedded"

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
        wait: bool = True,
    ) -> Event | None:
        event = to_event_in(agent_id, action, data, context, reasoning)
        if self._sync is not None and not wait:  # decided in-process, stored in the background
            return self._sync.log(event, idempotency_key, wait=False)
        return await self._call("log", event, idempotency_key, wait=wait)

    async def log_batch(self, events: list[EventIn | dict[str, Any]]) -> list[Event]:
        return await self._call("log_batch", _coerce_events(events))

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
    ) -> EventPage:
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
