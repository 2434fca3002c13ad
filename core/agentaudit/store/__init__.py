"""Audit stores: SQLite (embedded default) and PostgreSQL (production), one contract."""

from __future__ import annotations

from pathlib import Path

from agentaudit.store.base import (
    DEFAULT_ORG_NAME,
    ApiKeyInfo,
    EventStore,
    IdempotencyConflict,
    KeyRevoked,
    NewEvent,
    Org,
    PayloadMask,
    SchemaOutOfDate,
    SessionRecord,
    SessionStore,
    StoredPayload,
    StoreUnavailable,
)
from agentaudit.store.chain import VerifyResult
from agentaudit.store.target import BadTarget, parse_target

__all__ = [
    "DEFAULT_ORG_NAME",
    "ApiKeyInfo",
    "BadTarget",
    "EventStore",
    "IdempotencyConflict",
    "KeyRevoked",
    "NewEvent",
    "Org",
    "PayloadMask",
    "SchemaOutOfDate",
    "SessionRecord",
    "SessionStore",
    "StoredPayload",
    "StoreUnavailable",
    "VerifyResult",
    "open_store",
]


def open_store(target: str | Path, *, create: bool = True, auto_upgrade: bool = True) -> EventStore:
    """Open the store named by a path (SQLite) or a `postgresql://` URL (store/target.py says
    which texts name which; anything else is a `BadTarget`, raised before anything is created).

    `auto_upgrade=False` makes a schema that is behind the code an error (what a server wants);
    an empty database is always initialised when `create` is true.
    """
    found = parse_target(str(target))
    if found.kind == "postgres":
        from agentaudit.store.postgres import PostgresStore  # needs the `postgres` extra

        return PostgresStore(found.location, create=create, auto_upgrade=auto_upgrade)
    from agentaudit.store.sqlite import SQLiteStore

    return SQLiteStore(found.location, create=create, auto_upgrade=auto_upgrade)
