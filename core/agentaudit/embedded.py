"""The embedded backends: the audit service on a local SQLite file, in this process.

`EmbeddedBackend` is blocking; `AsyncEmbeddedBackend` runs it in worker threads so that SQLite
never blocks an event loop.
"""

from __future__ import annotations

import asyncio
import functools
import itertools
import os
import threading
from collections.abc import AsyncIterator, Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from pathlib import Path
from typing import Any, TypeVar

from agentaudit import subjects
from agentaudit.approvals import Approval, ApprovalClosed, ApprovalNotFound, ApprovalState
from agentaudit.errors import ConfigurationError, ConflictError, InvalidInputError, NotFoundError
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
from agentaudit.policy_history import PolicyHistory
from agentaudit.service import AuditService
from agentaudit.signing import Checkpointer, Signer
from agentaudit.store import DEFAULT_ORG_NAME, EventStore, NewEvent, VerifyResult, open_store
from agentaudit.store.erasure import local_actor
from agentaudit.store.subject_index import SubjectIndex
from agentaudit.writer import BackgroundWriter

DEFAULT_DB_PATH = "agentaudit.db"
THREADS = 4  # an async embedded client's worker threads
PAGE = 500  # events an async iter_events fetches per thread hop

T = TypeVar("T")


def default_db_path() -> str:
    return os.environ.get("AGENTAUDIT_DB") or DEFAULT_DB_PATH


class EmbeddedBackend:
    """Synchronous and thread-safe; the async client runs it in worker threads."""

    def __init__(
        self,
        db_path: str | Path | None = None,
        *,
        org: str = DEFAULT_ORG_NAME,
        store: EventStore | None = None,
        shared_sessions: bool | None = None,
    ) -> None:
        target = db_path or default_db_path()
        self.store = store or open_store(target)
        self.location = str(getattr(self.store, "path", target))
        # provenance sessions in the store: for processes that each judge one call (the hook)
        self.service = AuditService(self.store, shared_sessions=shared_sessions)
        self.org_id = self.store.ensure_org(org).id
        self._writer: BackgroundWriter | None = None
        self._writer_lock = threading.Lock()

    def __repr__(self) -> str:
        return f"<embedded {self.location}>"

    def log(
        self, event: EventIn, idempotency_key: str | None = None, *, wait: bool = True
    ) -> Event:
        """Decide and store one call. With `wait=False` the decided event is returned at once
        and committed by the background writer (see `agentaudit.writer`)."""
        if wait:
            return self.service.record(self.org_id, [event], [idempotency_key])[0]
        subjects: list[tuple[str, str]] = []
        decided, keep = self.service.evaluate(self.org_id, event, subjects)
        if keep:
            self._background().submit(NewEvent(decided, idempotency_key, None, tuple(subjects)))
        return decided

    def _background(self) -> BackgroundWriter:
        if self._writer is None:
            with self._writer_lock:
                if self._writer is None:
                    org_id = self.org_id
                    self._writer = BackgroundWriter(lambda b: self.store.append(org_id, b))
        return self._writer

    def log_batch(
        self, events: list[EventIn], idempotency_keys: list[str | None] | None = None
    ) -> list[Event]:
        return self.service.record(self.org_id, events, idempotency_keys)

    def list_events(self, flt: EventFilter) -> EventPage:
        return self.service.list_events(self.org_id, flt)

    def get_event(self, event_id: str) -> Event:
        event = self.service.get_event(self.org_id, event_id)
        if event is None:
            raise NotFoundError(f"no event {event_id!r}", status_code=404)
        return event

    def get_stats(self, after: datetime | None = None, before: datetime | None = None) -> Stats:
        return self.service.stats(self.org_id, after, before)

    def get_policy(self) -> Policy:
        return self.service.get_policy(self.org_id)

    def set_policy(self, patch: dict[str, Any] | Policy) -> Policy:
        """The change is chained naming the local user (there is no key)."""
        return self.service.update_policy(
            self.org_id, patch, source="embedded", actor=local_actor("embedded client")
        )

    def policy_history(self, limit: int = 50, offset: int = 0) -> PolicyHistory:
        return self.service.policy_history(self.org_id, limit, offset)

    def iter_events(self) -> Iterator[Event]:
        return self.store.iter_events(self.org_id)

    def erase(self, event_id: str) -> bool:
        """Erase one payload; the chained record names the local user (there is no key)."""
        return self.service.erase(self.org_id, event_id, actor=local_actor("embedded client"))

    def _subject_index(self) -> SubjectIndex:
        if not isinstance(self.store, SubjectIndex):
            raise ConfigurationError("this store keeps no data-subject index")
        return self.store

    def search_subject(
        self, value: str, type: str | None = None, limit: int = 50, offset: int = 0
    ) -> SubjectPage:
        _check_subject(value, type, limit, offset)
        return subjects.search_page(
            self._subject_index(), self.org_id, value, type, limit=limit, offset=offset
        )

    def erase_subject(self, value: str, type: str | None = None) -> SubjectErasure:
        """Erase every payload that carried the value; the chained records name the local
        user (there is no key)."""
        _check_subject(value, type)
        return subjects.erase_result(
            self._subject_index(),
            self.org_id,
            value,
            type,
            actor=local_actor("embedded client"),
        )

    def get_approval(self, approval_id: str) -> Approval:
        found = self.service.get_approval(self.org_id, approval_id)
        if found is None:
            raise NotFoundError(f"no approval {approval_id!r}", status_code=404)
        return found

    def list_approvals(self, state: str | None = None, limit: int = 100) -> list[Approval]:
        try:
            wanted = ApprovalState(state) if state else None
        except ValueError:
            raise InvalidInputError(
                f"state must be one of {[s.value for s in ApprovalState]}"
            ) from None
        return self.service.list_approvals(self.org_id, wanted, limit)

    def decide_approval(
        self, approval_id: str, decision: str, comment: str | None = None
    ) -> Approval:
        """Approve or deny a held call; the chained record names the local user."""
        try:
            return self.service.decide_approval(
                self.org_id, approval_id, decision, local_actor("embedded client"), comment
            )
        except ApprovalNotFound:
            raise NotFoundError(f"no approval {approval_id!r}", status_code=404) from None
        except ApprovalClosed as exc:
            raise ConflictError(str(exc), status_code=409) from None
        except ValueError as exc:  # not "approve" or "deny"
            raise InvalidInputError(str(exc)) from None

    def verify(self) -> VerifyResult:
        return self.service.verify(self.org_id)

    def flush(self) -> None:
        """Commit every event queued by `log(wait=False)`."""
        if self._writer is not None:
            self._writer.flush(timeout=None)

    def close(self) -> None:
        """Commit what is queued and, when $AGENTAUDIT_SIGNING_KEY names a key, sign the chain
        head as it is left (a checkpoint, as a server signs at shutdown)."""
        try:
            if self._writer is not None:
                self._writer.close()
            signer = Signer.from_env()
            if signer is not None:
                Checkpointer(self.store, signer).close()
        finally:
            self.store.close()


class AsyncEmbeddedBackend:
    """`EmbeddedBackend` for asyncio: each call runs in one of a few worker threads."""

    def __init__(self, db_path: str | Path | None = None) -> None:
        self.sync = EmbeddedBackend(db_path)
        self.location = self.sync.location
        self._executor = ThreadPoolExecutor(max_workers=THREADS, thread_name_prefix="agentaudit")

    def __repr__(self) -> str:
        return repr(self.sync)

    async def _in_thread(self, fn: Callable[..., T], *args: Any) -> T:
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._executor, functools.partial(fn, *args))

    async def log(
        self, event: EventIn, idempotency_key: str | None = None, *, wait: bool = True
    ) -> Event:
        if not wait:  # decided in-process at once, stored by the background writer
            return self.sync.log(event, idempotency_key, wait=False)
        return await self._in_thread(self.sync.log, event, idempotency_key)

    async def log_batch(
        self, events: list[EventIn], idempotency_keys: list[str | None] | None = None
    ) -> list[Event]:
        return await self._in_thread(self.sync.log_batch, events, idempotency_keys)

    async def list_events(self, flt: EventFilter) -> EventPage:
        return await self._in_thread(self.sync.list_events, flt)

    async def get_event(self, event_id: str) -> Event:
        return await self._in_thread(self.sync.get_event, event_id)

    async def get_stats(
        self, after: datetime | None = None, before: datetime | None = None
    ) -> Stats:
        return await self._in_thread(self.sync.get_stats, after, before)

    async def get_policy(self) -> Policy:
        return await self._in_thread(self.sync.get_policy)

    async def set_policy(self, patch: dict[str, Any] | Policy) -> Policy:
        return await self._in_thread(self.sync.set_policy, patch)

    async def policy_history(self, limit: int = 50, offset: int = 0) -> PolicyHistory:
        return await self._in_thread(self.sync.policy_history, limit, offset)

    async def iter_events(self) -> AsyncIterator[Event]:
        events = self.sync.iter_events()
        while page := await self._in_thread(_page, events):
            for event in page:
                yield event

    async def erase(self, event_id: str) -> bool:
        return await self._in_thread(self.sync.erase, event_id)

    async def search_subject(
        self, value: str, type: str | None = None, limit: int = 50, offset: int = 0
    ) -> SubjectPage:
        return await self._in_thread(self.sync.search_subject, value, type, limit, offset)

    async def erase_subject(self, value: str, type: str | None = None) -> SubjectErasure:
        return await self._in_thread(self.sync.erase_subject, value, type)

    async def get_approval(self, approval_id: str) -> Approval:
        return await self._in_thread(self.sync.get_approval, approval_id)

    async def list_approvals(self, state: str | None = None, limit: int = 100) -> list[Approval]:
        return await self._in_thread(self.sync.list_approvals, state, limit)

    async def decide_approval(
        self, approval_id: str, decision: str, comment: str | None = None
    ) -> Approval:
        return await self._in_thread(self.sync.decide_approval, approval_id, decision, comment)

    async def verify(self) -> VerifyResult:
        return await self._in_thread(self.sync.verify)

    async def flush(self) -> None:
        await self._in_thread(self.sync.flush)

    async def close(self) -> None:
        await self._in_thread(self.sync.close)
        self._executor.shutdown(wait=True)


def _check_subject(value: str, typ: str | None, limit: int = 50, offset: int = 0) -> None:
    """The REST route's limits on a subject request (never naming the value)."""
    if not isinstance(value, str) or not 1 <= len(value) <= 1000 or "\x00" in value:
        raise InvalidInputError("value must be 1 to 1000 characters, without NUL")
    if typ is not None and typ not in subjects.INDEXED_TYPES:
        raise InvalidInputError(f"type must be one of {sorted(subjects.INDEXED_TYPES)} or None")
    if not 1 <= limit <= 200 or offset < 0:
        raise InvalidInputError("limit must be 1 to 200 and offset >= 0")


def _page(events: Iterator[Event]) -> list[Event]:
    return list(itertools.islice(events, PAGE))
