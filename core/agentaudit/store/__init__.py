"""Audit stores: SQLite (embedded default) and PostgreSQL (production), one contract."""

from __future__ import annotations

from pathlib import Path

from agentaudit.store.base import (
    DEFAULT_ORG_NAME,
    ApiKeyInfo,
    EventStore,
    KeyRevoked,
    NewEvent,
    Org,
    SchemaOutOfDate,
    SessionRecord,
)
from agentaudit.store.chain import VerifyResult

__all__ = [
    "DEFAULT_ORG_NAME",
    "ApiKeyInfo",
    "EventStore",
    "KeyRevoked",
    "NewEvent",
    "Org",
    "SchemaOutOfDate",
    "SessionRecord",
    "VerifyResult",
    "open_store",
]


def open_store(target: str | Path, *, create: bool = True, auto_upgrade: bool = True) -> EventStore:
    """Open the store named by a path (SQLite) or a `postgresql://` URL.

    `auto_upgrade=False` makes a schema that is behind the code an error (what a server wants);
    an empty database is always initialised when `create` is true.
    """
    text = str(target)
    if text.startswith(("postgresql://", "postgres://", "postgresql+psycopg://")):
        from agentaudit.store.postgres import PostgresStore  # needs the `postgres` extra

        return PostgresStore(text, create=create, auto_upgrade=auto_upgrade)
    if text.startswith("sqlite:///"):
        text = text[len("sqlite:///") :]
    from agentaudit.store.sqlite import SQLiteStore

    return SQLiteStore(text, create=create, auto_upgrade=auto_upgrade)
