"""The embedded backend: the audit service on a local SQLite file, in this process."""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

from agentaudit.errors import NotFoundError
from agentaudit.models import Event, EventFilter, EventIn, EventPage, Policy, Stats
from agentaudit.service import AuditService
from agentaudit.store import DEFAULT_ORG_NAME, EventStore, VerifyResult, open_store

DEFAULT_DB_PATH = "agentaudit.db"


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
    ) -> None:
        self.store = store or open_store(db_path or default_db_path())
        self.service = AuditService(self.store)
        self.org_id = self.store.ensure_org(org).id

    def log(self, event: EventIn, idempotency_key: str | None = None) -> Event:
        return self.service.record(self.org_id, [event], [idempotency_key])[0]

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
        return self.service.update_policy(self.org_id, patch)

    def iter_events(self) -> Iterator[Event]:
        return self.store.iter_events(self.org_id)

    def erase(self, event_id: str) -> bool:
        return self.service.erase(self.org_id, event_id)

    def verify(self) -> VerifyResult:
        return self.service.verify(self.org_id)

    def flush(self) -> None:
        """Every embedded write is committed before `log` returns; nothing is pending."""

    def close(self) -> None:
        self.store.close()
