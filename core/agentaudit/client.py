"""`AgentAudit` and `AsyncAgentAudit`: one API, embedded (local SQLite) or remote (HTTP).

Embedded is the default so a first run needs no server; a base URL (argument or
`AGENTAUDIT_URL`) makes the client remote (see `agentaudit.remote` and docs/sdk.md).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Iterator
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Generic, TypeVar

import pydantic

from agentaudit.aiact.client import AiActMethods, AsyncAiActMethods
from agentaudit.approvals import Approval
from agentaudit.embedded import AsyncEmbeddedBackend, EmbeddedBackend
from agentaudit.errors import ConfigurationError, InvalidInputError
from agentaudit.models import (
    Event,
    EventFilter,
    EventIn,
    EventPage,
    Policy,
    SecretType,
    Stats,
    SubjectErasure,
    SubjectPage,
)
from agentaudit.options import ClientOptions
from agentaudit.policy_history import PolicyHistory
from agentaudit.protocols import AsyncBackend, Backend, FailMode, Mode
from agentaudit.store import VerifyResult

if TYPE_CHECKING:
    import httpx

B = TypeVar("B", Backend, AsyncBackend)


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


DEFAULT_APPROVAL_TIMEOUT = 900.0  # the default expiry of a request (Policy.approval_ttl_seconds)
DEFAULT_APPROVAL_POLL = 1.0


def approval_id_of(approval: str | Event) -> str:
    """The approval id given, or the one a held call's event carries."""
    if isinstance(approval, str):
        return approval
    if approval.approval_id is None:
        raise ConfigurationError(
            f"event {approval.id} was not held for review (decision {approval.decision}):"
            " it has no approval"
        )
    return approval.approval_id


def validation_error(exc: pydantic.ValidationError) -> InvalidInputError:
    """Pydantic's errors as ours: every bad field with its path, in the message too."""
    errors = [{"loc": list(e["loc"]), "msg": e["msg"], "type": e["type"]} for e in exc.errors()]
    where = "; ".join(f"{'.'.join(map(str, e['loc'])) or 'body'}: {e['msg']}" for e in errors)
    return InvalidInputError(f"invalid input: {where}", errors=errors)


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
            raise InvalidInputError(f"event {i}: {err}", errors=err.errors) from None
    return out


def _filter(**filters: Any) -> EventFilter:
    try:
        return EventFilter(**{k: v for k, v in filters.items() if v is not None})
    except pydantic.ValidationError as exc:
        raise validation_error(exc) from None


class _ClientBase(Generic[B]):
    """What `AgentAudit` and `AsyncAgentAudit` share: one constructor, options, mode."""

    def __init__(
        self,
        api_key: str | None = None,
        base_url: str | None = None,
        *,
        db_path: str | Path | None = None,
        fail_mode: FailMode = "closed",
        background: bool = False,
        timeout: float | httpx.Timeout | None = None,
        max_retries: int | None = None,
        batch_size: int | None = None,
        flush_interval: float | None = None,
        max_queue: int | None = None,
        spool_dir: str | Path | None = None,
    ) -> None:
        self.options = ClientOptions(
            api_key=api_key,
            base_url=base_url,
            db_path=db_path,
            fail_mode=fail_mode,
            background=background,
            timeout=timeout,
            max_retries=max_retries,
            batch_size=batch_size,
            flush_interval=flush_interval,
            max_queue=max_queue,
            spool_dir=spool_dir,
        )
        self._backend: B = self._open(self.options)

    def _open(self, options: ClientOptions) -> B:
        raise NotImplementedError

    @property
    def mode(self) -> Mode:
        """Where decisions are made: "embedded" (a SQLite file in this process) or "remote"."""
        return self.options.mode

    @property
    def fail_mode(self) -> FailMode:
        """What a guard does when no decision can be had: "closed" blocks, "open" allows."""
        return self.options.fail_mode

    @property
    def background(self) -> bool:
        """Whether `log()` defaults to `wait=False`."""
        return self.options.background

    @property
    def location(self) -> str:
        """Where events go: the SQLite file, or the server's base URL."""
        return self._backend.location

    def __repr__(self) -> str:
        return f"{type(self).__name__}(mode={self.mode!r}, backend={self._backend!r})"


class AgentAudit(_ClientBase[Backend], AiActMethods):
    """Synchronous client. Thread-safe.

    `AgentAudit()` writes to `./agentaudit.db` (or `AGENTAUDIT_DB`);
    `AgentAudit(api_key=..., base_url=...)` talks to a server (key also from
    `AGENTAUDIT_API_KEY`). The options are described by `agentaudit.options.ClientOptions`.
    """

    def _open(self, options: ClientOptions) -> Backend:
        if options.base_url is not None:
            from agentaudit.remote import RemoteBackend

            return RemoteBackend(options)
        return EmbeddedBackend(options.db_path)

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
        secret_type: SecretType | None = None,
        after: datetime | None = None,
        before: datetime | None = None,
        limit: int = 50,
        offset: int = 0,
        order: str = "desc",
    ) -> EventPage:
        """One page of events, newest first (`order="asc"`: oldest first); `secret_type`: only
        events that carried that secret type (`api_key`, `access_token`, `password`,
        `private_key`, `db_connection_string`)."""
        flt = _filter(
            agent_id=agent_id,
            action=action,
            risk_level=risk_level,
            pii_detected=pii_detected,
            decision=decision,
            session_id=session_id,
            secret_type=secret_type,
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

    def policy_history(self, *, limit: int = 50, offset: int = 0) -> PolicyHistory:
        """The policy's versions, newest first: who changed it, when, the old and new policy
        (each change is also a chained event; every event names its `policy_version`)."""
        return self._backend.policy_history(limit, offset)

    def iter_events(self) -> Iterator[Event]:
        """Every event of the organisation, oldest first (for exports)."""
        return self._backend.iter_events()

    def erase(self, event_id: str) -> bool:
        """Erase one event's payload (GDPR Art. 17); the chain stays verifiable."""
        return self._backend.erase(event_id)

    # -- data-subject requests (GDPR Art. 15 and 17; docs/subjects.md) ------------------------
    def search_subject(
        self, value: str, type: str | None = None, *, limit: int = 50, offset: int = 0
    ) -> SubjectPage:
        """The events that carried a person's identifier, oldest first (`type`: email,
        phone, iban, …; None: every type the value can be read as). `readable` is False when
        the value cannot be read as that type. The value is sent in a request body, never in
        a URL, and is not logged."""
        return self._backend.search_subject(value, type, limit, offset)

    def erase_subject(self, value: str, type: str | None = None) -> SubjectErasure:
        """Erase the payload of every event that carried a person's identifier, in one
        request; each erasure is chained and the chain still verifies. Asking again erases
        nothing."""
        return self._backend.erase_subject(value, type)

    def verify(self) -> VerifyResult:
        return self._backend.verify()

    def flush(self) -> None:
        """Store everything logged with `wait=False` so far (remote: on the server, or spooled
        to disk if it cannot be reached; spooled events are re-sent now if it answers)."""
        self._backend.flush()

    # -- approvals of held calls (decision review; docs/approvals.md) -------------------------
    def get_approval(self, approval: str | Event) -> Approval:
        """The approval request of a held call (by its id, or the call's event)."""
        return self._backend.get_approval(approval_id_of(approval))

    def list_approvals(self, state: str | None = None, *, limit: int = 100) -> list[Approval]:
        """The approval queue, newest first: `state` pending (still open), approved, denied,
        expired, or every request when None."""
        return self._backend.list_approvals(state, limit)

    def decide_approval(
        self, approval: str | Event, decision: str, comment: str | None = None
    ) -> Approval:
        """Approve ("approve") or deny ("deny") a held call, once; the outcome is chained.
        `ConflictError` when it was decided already or has expired."""
        return self._backend.decide_approval(approval_id_of(approval), decision, comment)

    def wait_for_approval(
        self,
        approval: str | Event,
        *,
        timeout: float = DEFAULT_APPROVAL_TIMEOUT,
        poll: float = DEFAULT_APPROVAL_POLL,
    ) -> Approval:
        """Wait until a held call is decided or expires, at most `timeout` seconds, reading its
        request every `poll` seconds; returns the request as last read. Only `approved` lets
        the call run: denied, expired, or still pending when the wait ends all mean no."""
        approval_id = approval_id_of(approval)
        deadline = time.monotonic() + timeout
        while True:
            found = self._backend.get_approval(approval_id)
            left = deadline - time.monotonic()
            if found.final or left <= 0:
                return found
            time.sleep(min(poll, left))

    def close(self) -> None:
        """Flush, then release the connection or database."""
        self._backend.close()

    def __enter__(self) -> AgentAudit:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class AsyncAgentAudit(_ClientBase[AsyncBackend], AsyncAiActMethods):
    """The async mirror of `AgentAudit`. Embedded work runs in worker threads, so SQLite never
    blocks the event loop."""

    def _open(self, options: ClientOptions) -> AsyncBackend:
        if options.base_url is not None:
            from agentaudit.remote import AsyncRemoteBackend

            return AsyncRemoteBackend(options)
        return AsyncEmbeddedBackend(options.db_path)

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
        return await self._backend.log(event, idempotency_key, wait=wait)

    async def log_batch(
        self,
        events: list[EventIn | dict[str, Any]],
        *,
        idempotency_keys: list[str | None] | None = None,
    ) -> list[Event]:
        return await self._backend.log_batch(_coerce_events(events), idempotency_keys)

    async def list_events(
        self,
        *,
        agent_id: str | None = None,
        action: str | None = None,
        risk_level: str | None = None,
        pii_detected: bool | None = None,
        decision: str | None = None,
        session_id: str | None = None,
        secret_type: SecretType | None = None,
        after: datetime | None = None,
        before: datetime | None = None,
        limit: int = 50,
        offset: int = 0,
        order: str = "desc",
    ) -> EventPage:
        """One page of events, newest first (`order="asc"`: oldest first); `secret_type`: only
        events that carried that secret type (`api_key`, `access_token`, `password`,
        `private_key`, `db_connection_string`)."""
        flt = _filter(
            agent_id=agent_id,
            action=action,
            risk_level=risk_level,
            pii_detected=pii_detected,
            decision=decision,
            session_id=session_id,
            secret_type=secret_type,
            after=after,
            before=before,
            limit=limit,
            offset=offset,
            order=order,
        )
        return await self._backend.list_events(flt)

    async def get_event(self, event_id: str) -> Event:
        return await self._backend.get_event(event_id)

    async def get_stats(
        self, *, after: datetime | None = None, before: datetime | None = None
    ) -> Stats:
        return await self._backend.get_stats(after, before)

    async def get_policy(self) -> Policy:
        return await self._backend.get_policy()

    async def set_policy(self, policy: Policy | dict[str, Any]) -> Policy:
        try:
            return await self._backend.set_policy(policy)
        except pydantic.ValidationError as exc:
            raise validation_error(exc) from None

    async def policy_history(self, *, limit: int = 50, offset: int = 0) -> PolicyHistory:
        """The policy's versions, newest first (see `AgentAudit.policy_history`)."""
        return await self._backend.policy_history(limit, offset)

    async def iter_events(self) -> AsyncIterator[Event]:
        """Every event of the organisation, oldest first (for exports)."""
        async for event in self._backend.iter_events():
            yield event

    async def erase(self, event_id: str) -> bool:
        return await self._backend.erase(event_id)

    async def search_subject(
        self, value: str, type: str | None = None, *, limit: int = 50, offset: int = 0
    ) -> SubjectPage:
        """The events that carried a person's identifier (see `AgentAudit.search_subject`)."""
        return await self._backend.search_subject(value, type, limit, offset)

    async def erase_subject(self, value: str, type: str | None = None) -> SubjectErasure:
        """Erase every payload that carried it (see `AgentAudit.erase_subject`)."""
        return await self._backend.erase_subject(value, type)

    async def verify(self) -> VerifyResult:
        return await self._backend.verify()

    async def flush(self) -> None:
        await self._backend.flush()

    async def get_approval(self, approval: str | Event) -> Approval:
        """See `AgentAudit.get_approval`."""
        return await self._backend.get_approval(approval_id_of(approval))

    async def list_approvals(self, state: str | None = None, *, limit: int = 100) -> list[Approval]:
        """See `AgentAudit.list_approvals`."""
        return await self._backend.list_approvals(state, limit)

    async def decide_approval(
        self, approval: str | Event, decision: str, comment: str | None = None
    ) -> Approval:
        """See `AgentAudit.decide_approval`."""
        return await self._backend.decide_approval(approval_id_of(approval), decision, comment)

    async def wait_for_approval(
        self,
        approval: str | Event,
        *,
        timeout: float = DEFAULT_APPROVAL_TIMEOUT,
        poll: float = DEFAULT_APPROVAL_POLL,
    ) -> Approval:
        """See `AgentAudit.wait_for_approval`; sleeps without blocking the event loop."""
        approval_id = approval_id_of(approval)
        deadline = time.monotonic() + timeout
        while True:
            found = await self._backend.get_approval(approval_id)
            left = deadline - time.monotonic()
            if found.final or left <= 0:
                return found
            await asyncio.sleep(min(poll, left))

    async def close(self) -> None:
        await self._backend.close()

    async def __aenter__(self) -> AsyncAgentAudit:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()
