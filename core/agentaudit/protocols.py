"""The typed seams: what an adapter needs of a client, and what a client needs of a backend.

`AuditClient` / `AsyncAuditClient` are all a framework adapter relies on (`AgentAudit` and
`AsyncAgentAudit` satisfy them, and so does any object with these three members, e.g. a test
double). `Backend` / `AsyncBackend` are what the clients delegate to: embedded (a SQLite file in
this process) or remote (HTTP), each in a blocking and an asyncio flavour.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from datetime import datetime
from typing import TYPE_CHECKING, Any, Literal, Protocol

if TYPE_CHECKING:
    from agentaudit.approvals import Approval
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
    from agentaudit.store import VerifyResult

FailMode = Literal["closed", "open"]
Mode = Literal["embedded", "remote"]


class AuditClient(Protocol):
    """A blocking client as the adapters use it."""

    @property
    def mode(self) -> Mode:
        """Where decisions are made: "embedded" in this process (storage may then be deferred),
        "remote" by a server."""
        ...

    @property
    def fail_mode(self) -> FailMode:
        """What a guard does when no decision can be had: "closed" blocks, "open" allows."""
        ...

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
    ) -> Event | None: ...


class AsyncAuditClient(Protocol):
    """The asyncio mirror of `AuditClient`."""

    @property
    def mode(self) -> Mode: ...

    @property
    def fail_mode(self) -> FailMode: ...

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
    ) -> Event | None: ...


class Backend(Protocol):
    """Where a blocking client's calls go (`EmbeddedBackend`, `RemoteBackend`). Input arrives
    validated (`EventIn`, `EventFilter`)."""

    @property
    def location(self) -> str:
        """The SQLite file, or the server's base URL (for messages; never a secret)."""
        ...

    def log(
        self, event: EventIn, idempotency_key: str | None = None, *, wait: bool = True
    ) -> Event | None: ...

    def log_batch(
        self, events: list[EventIn], idempotency_keys: list[str | None] | None = None
    ) -> list[Event]: ...

    def list_events(self, flt: EventFilter) -> EventPage: ...

    def get_event(self, event_id: str) -> Event: ...

    def get_stats(self, after: datetime | None = None, before: datetime | None = None) -> Stats: ...

    def get_policy(self) -> Policy: ...

    def set_policy(self, patch: dict[str, Any] | Policy) -> Policy: ...

    def policy_history(self, limit: int = 50, offset: int = 0) -> PolicyHistory: ...

    def iter_events(self) -> Iterator[Event]: ...

    def erase(self, event_id: str) -> bool: ...

    def search_subject(
        self, value: str, type: str | None = None, limit: int = 50, offset: int = 0
    ) -> SubjectPage: ...

    def erase_subject(self, value: str, type: str | None = None) -> SubjectErasure: ...

    def get_approval(self, approval_id: str) -> Approval: ...

    def list_approvals(self, state: str | None = None, limit: int = 100) -> list[Approval]: ...

    def decide_approval(
        self, approval_id: str, decision: str, comment: str | None = None
    ) -> Approval: ...

    def verify(self) -> VerifyResult: ...

    def flush(self) -> None: ...

    def close(self) -> None: ...


class AsyncBackend(Protocol):
    """Where an asyncio client's calls go (`AsyncEmbeddedBackend`, `AsyncRemoteBackend`)."""

    @property
    def location(self) -> str: ...

    async def log(
        self, event: EventIn, idempotency_key: str | None = None, *, wait: bool = True
    ) -> Event | None: ...

    async def log_batch(
        self, events: list[EventIn], idempotency_keys: list[str | None] | None = None
    ) -> list[Event]: ...

    async def list_events(self, flt: EventFilter) -> EventPage: ...

    async def get_event(self, event_id: str) -> Event: ...

    async def get_stats(
        self, after: datetime | None = None, before: datetime | None = None
    ) -> Stats: ...

    async def get_policy(self) -> Policy: ...

    async def set_policy(self, patch: dict[str, Any] | Policy) -> Policy: ...

    async def policy_history(self, limit: int = 50, offset: int = 0) -> PolicyHistory: ...

    def iter_events(self) -> AsyncIterator[Event]: ...

    async def erase(self, event_id: str) -> bool: ...

    async def search_subject(
        self, value: str, type: str | None = None, limit: int = 50, offset: int = 0
    ) -> SubjectPage: ...

    async def erase_subject(self, value: str, type: str | None = None) -> SubjectErasure: ...

    async def get_approval(self, approval_id: str) -> Approval: ...

    async def list_approvals(
        self, state: str | None = None, limit: int = 100
    ) -> list[Approval]: ...

    async def decide_approval(
        self, approval_id: str, decision: str, comment: str | None = None
    ) -> Approval: ...

    async def verify(self) -> VerifyResult: ...

    async def flush(self) -> None: ...

    async def close(self) -> None: ...
