"""The embedded store: one SQLite file in WAL mode, safe for many threads of one process.

Reads use one connection per thread (WAL lets them run beside a writer); writes are serialised by
an in-process lock and `BEGIN IMMEDIATE`, so the chain head is read and advanced atomically.
Appends from several processes (server workers, a CLI) also queue on a file lock beside the
database: SQLite's own busy handler would make them poll with growing sleeps.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import sqlite3
import threading
from collections.abc import Collection, Iterator, Sequence
from dataclasses import astuple
from datetime import datetime
from pathlib import Path
from typing import Any

from ulid import ULID

from agentaudit.models import Event, EventFilter, EventPage, Policy, Stats, _utc_z
from agentaudit.store._sql import (
    EVENT_COLUMNS,
    EXPIRE_SESSIONS_SQL,
    LOAD_SESSION_SQL,
    SAVE_SESSION_SQL,
    PreparedEvent,
    active_keys_sql,
    chain_fields,
    chain_prepared,
    chain_row,
    count_stats,
    count_total,
    filter_sql,
    insert_events_sql,
    now_ms,
    now_z,
    page_filter_sql,
    prepare_event,
    row_to_event,
    split_known,
    upsert_counts_sql,
    verify_chain,
)
from agentaudit.store._sql import parse_z as _parse_z
from agentaudit.store.ai_systems import AISystemsMixin
from agentaudit.store.base import (
    ApiKeyInfo,
    KeyRevoked,
    NewEvent,
    Org,
    SchemaOutOfDate,
    SessionRecord,
)
from agentaudit.store.chain import GENESIS, VerifyResult
from agentaudit.store.migrate import SCHEMA_HEAD, upgrade

# the shared helpers, importable from here as before
__all__ = ["SQLiteStore", "chain_fields", "chain_row", "filter_sql", "now_z", "row_to_event"]

_EVENT_COLUMNS = EVENT_COLUMNS
_INSERT = insert_events_sql("?")
_UPSERT_COUNTS = upsert_counts_sql("?")
_DEFAULT_POLICY = Policy()


class WriterLock:
    """An exclusive `flock` on `<db>-lock` held around each append, so writers of several
    processes wait their turn in the kernel instead of polling SQLite's busy handler. The file
    is opened at the first append, so a store only read from creates nothing."""

    def __init__(self, db_path: str) -> None:
        self._path: str | None = None
        if db_path != ":memory:" and not db_path.startswith("file:"):
            self._path = str(Path(db_path).expanduser()) + "-lock"
        self._fd: int | None = None

    def __enter__(self) -> None:
        if self._path is None:
            return
        if self._fd is None:
            self._fd = os.open(self._path, os.O_RDWR | os.O_CREAT, 0o600)
        fcntl.flock(self._fd, fcntl.LOCK_EX)

    def __exit__(self, *exc: object) -> None:
        if self._fd is not None:
            fcntl.flock(self._fd, fcntl.LOCK_UN)

    def close(self) -> None:
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None


class SQLiteStore(AISystemsMixin):
    """`EventStore` on one SQLite file (and the AI Act register, store/ai_systems.py)."""

    _placeholder = "?"
    _dialect = "sqlite"

    def __init__(self, path: str | Path, *, create: bool = True, auto_upgrade: bool = True) -> None:
        self.path = str(path)
        if self.path != ":memory:":
            Path(self.path).expanduser().parent.mkdir(parents=True, exist_ok=True)
        self._local = threading.local()
        self._write_lock = threading.Lock()
        self._writers = WriterLock(self.path)
        self._conns: list[sqlite3.Connection] = []
        self._conns_lock = threading.Lock()
        self._closed = False
        self._policy_cache: dict[str, tuple[str, Policy]] = {}
        self._prepare_schema(create=create, auto_upgrade=auto_upgrade)

    # -- connections -----------------------------------------------------------------------
    def _connect(self) -> sqlite3.Connection:
        conn = sqlite3.connect(
            self.path, timeout=30.0, isolation_level=None, check_same_thread=False
        )
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=NORMAL")
        conn.execute("PRAGMA wal_autocheckpoint=10000")
        conn.execute("PRAGMA cache_size=-65536")
        conn.execute("PRAGMA foreign_keys=ON")
        conn.execute("PRAGMA busy_timeout=30000")
        return conn

    @property
    def _conn(self) -> sqlite3.Connection:
        conn = getattr(self._local, "conn", None)
        if conn is None:
            if self._closed:
                raise RuntimeError("the store is closed")
            conn = self._connect()
            self._local.conn = conn
            with self._conns_lock:
                self._conns.append(conn)
        return conn

    def _prepare_schema(self, *, create: bool, auto_upgrade: bool) -> None:
        conn = self._conn
        has_version = conn.execute(
            "SELECT 1 FROM sqlite_master WHERE type='table' AND name='alembic_version'"
        ).fetchone()
        current = (
            conn.execute("SELECT version_num FROM alembic_version").fetchone()
            if has_version
            else None
        )
        if current is not None and current[0] == SCHEMA_HEAD:
            return
        if current is None and not create:
            raise SchemaOutOfDate(
                f"{self.path} holds no AgentAudit schema: run `agentaudit db upgrade --db {self.path}`"
            )
        if current is not None and not auto_upgrade:
            raise SchemaOutOfDate(
                f"schema of {self.path} is at {current[0]}, code needs {SCHEMA_HEAD}: "
                f"run `agentaudit db upgrade --db {self.path}`"
            )
        upgrade(f"sqlite:///{self.path}")

    def close(self) -> None:
        with self._conns_lock:
            self._closed = True
            conns, self._conns = self._conns, []
        self._writers.close()
        for conn in conns:
            with contextlib.suppress(sqlite3.ProgrammingError):  # closed by its thread already
                conn.close()
        self._local = threading.local()

    # -- organisations, keys, policy ---------------------------------------------------------
    def create_org(self, name: str) -> Org:
        org = Org(id=str(ULID()), name=name, created_at=now_ms())
        with self._write_lock:
            try:
                self._conn.execute(
                    "INSERT INTO orgs (id, name, created_at, policy) VALUES (?,?,?,NULL)",
                    (org.id, name, _utc_z(org.created_at)),
                )
            except sqlite3.IntegrityError as exc:
                raise ValueError(f"organisation {name!r} exists already") from exc
        return org

    def find_org(self, name: str) -> Org | None:
        row = self._conn.execute(
            "SELECT id, name, created_at FROM orgs WHERE name = ?", (name,)
        ).fetchone()
        return Org(row[0], row[1], _parse_z(row[2])) if row else None

    def get_org(self, org_id: str) -> Org | None:
        row = self._conn.execute(
            "SELECT id, name, created_at FROM orgs WHERE id = ?", (org_id,)
        ).fetchone()
        return Org(row[0], row[1], _parse_z(row[2])) if row else None

    def ensure_org(self, name: str) -> Org:
        org = self.find_org(name)
        if org is not None:
            return org
        try:
            return self.create_org(name)
        except ValueError:
            found = self.find_org(name)
            assert found is not None
            return found

    def list_orgs(self) -> list[Org]:
        rows = self._conn.execute("SELECT id, name, created_at FROM orgs ORDER BY id").fetchall()
        return [Org(r[0], r[1], _parse_z(r[2])) for r in rows]

    def add_api_key(
        self, org_id: str, key_hash: str, prefix: str, name: str | None = None
    ) -> ApiKeyInfo:
        info = ApiKeyInfo(str(ULID()), org_id, prefix, name, now_ms(), None)
        with self._write_lock:
            self._conn.execute(
                "INSERT INTO api_keys (id, org_id, key_hash, prefix, name, created_at)"
                " VALUES (?,?,?,?,?,?)",
                (info.id, org_id, key_hash, prefix, name, _utc_z(info.created_at)),
            )
        return info

    def org_for_key_hash(self, key_hash: str) -> str | None:
        row = self._conn.execute(
            "SELECT org_id FROM api_keys WHERE key_hash = ? AND revoked_at IS NULL", (key_hash,)
        ).fetchone()
        return row[0] if row else None

    def list_api_keys(self, org_id: str | None = None) -> list[ApiKeyInfo]:
        sql = "SELECT id, org_id, prefix, name, created_at, revoked_at FROM api_keys"
        rows = (
            self._conn.execute(sql + " WHERE org_id = ? ORDER BY id", (org_id,))
            if org_id
            else self._conn.execute(sql + " ORDER BY id")
        ).fetchall()
        return [ApiKeyInfo(r[0], r[1], r[2], r[3], _parse_z(r[4]), _parse_z(r[5])) for r in rows]

    def revoke_api_key(self, key_id_or_prefix: str) -> bool:
        with self._write_lock:
            cur = self._conn.execute(
                "UPDATE api_keys SET revoked_at = ? WHERE (id = ? OR prefix = ?)"
                " AND revoked_at IS NULL",
                (now_z(), key_id_or_prefix, key_id_or_prefix),
            )
        return cur.rowcount > 0

    def get_policy(self, org_id: str) -> Policy:
        row = self._conn.execute("SELECT policy FROM orgs WHERE id = ?", (org_id,)).fetchone()
        if row is None or row[0] is None:
            return _DEFAULT_POLICY
        cached = self._policy_cache.get(org_id)
        if cached is not None and cached[0] == row[0]:
            return cached[1]  # Policy is frozen, so sharing it is safe
        policy = Policy.model_validate_json(row[0])
        self._policy_cache[org_id] = (row[0], policy)
        return policy

    def set_policy(self, org_id: str, policy: Policy) -> Policy:
        with self._write_lock:
            cur = self._conn.execute(
                "UPDATE orgs SET policy = ? WHERE id = ?", (policy.model_dump_json(), org_id)
            )
        if cur.rowcount == 0:
            raise KeyError(f"no organisation {org_id}")
        return policy

    # -- dashboard sessions ------------------------------------------------------------------
    def save_session(self, session: SessionRecord) -> None:
        with self._write_lock:
            self._conn.execute(SAVE_SESSION_SQL.format(p="?"), astuple(session))

    def load_session(self, id_hash: str) -> SessionRecord | None:
        row = self._conn.execute(LOAD_SESSION_SQL.format(p="?"), (id_hash,)).fetchone()
        return SessionRecord(*row) if row else None

    def delete_session(self, id_hash: str) -> None:
        with self._write_lock:
            self._conn.execute("DELETE FROM dashboard_sessions WHERE id_hash = ?", (id_hash,))

    def expire_sessions(self, idle_before: float, created_before: float) -> int:
        with self._write_lock:
            cur = self._conn.execute(
                EXPIRE_SESSIONS_SQL.format(p="?"), (idle_before, created_before)
            )
        return cur.rowcount

    # -- events ------------------------------------------------------------------------------
    def append(
        self, org_id: str, events: Sequence[NewEvent], *, key_hashes: Collection[str] = ()
    ) -> list[Event]:
        if not events:
            return []
        prepared = [prepare_event(org_id, n.event, n.idempotency_key) for n in events]
        keys = sorted(set(key_hashes))
        conn = self._conn
        with self._write_lock, self._writers:
            conn.execute("BEGIN IMMEDIATE")
            try:
                if keys:
                    sql = active_keys_sql("?", len(keys))
                    if conn.execute(sql, (org_id, *keys)).fetchone()[0] != len(keys):
                        raise KeyRevoked(org_id)
                result = self._append_locked(conn, org_id, prepared)
                conn.execute("COMMIT")
            except BaseException:
                conn.execute("ROLLBACK")
                raise
        return result

    def _append_locked(
        self, conn: sqlite3.Connection, org_id: str, events: Sequence[PreparedEvent]
    ) -> list[Event]:
        keys = [n.key for n in events if n.key is not None]
        existing: dict[str, Event] = {}
        if keys:
            for i in range(0, len(keys), 500):
                chunk = keys[i : i + 500]
                rows = conn.execute(
                    f"SELECT {_EVENT_COLUMNS}, idempotency_key FROM events WHERE org_id = ?"
                    f" AND idempotency_key IN ({','.join('?' * len(chunk))})",
                    (org_id, *chunk),
                ).fetchall()
                existing.update({r[-1]: row_to_event(r) for r in rows})
        head = conn.execute(
            "SELECT seq, hash FROM chain_heads WHERE org_id = ?", (org_id,)
        ).fetchone()
        out, fresh = split_known(events, existing)
        if fresh:
            seq, prev = (head[0], head[1]) if head else (0, GENESIS)
            batch = chain_prepared(org_id, fresh, seq, prev)
            conn.executemany(_INSERT, batch.rows)
            conn.executemany(_UPSERT_COUNTS, batch.counts)
            conn.execute(
                "INSERT INTO chain_heads (org_id, seq, hash) VALUES (?,?,?)"
                " ON CONFLICT(org_id) DO UPDATE SET seq = excluded.seq, hash = excluded.hash",
                (org_id, batch.head_seq, batch.head_hash),
            )
        return out

    def get_event(self, org_id: str, event_id: str) -> Event | None:
        row = self._conn.execute(
            f"SELECT {_EVENT_COLUMNS} FROM events WHERE id = ? AND org_id = ?", (event_id, org_id)
        ).fetchone()
        return row_to_event(row) if row else None

    def _run(self, sql: str, args: list[Any]) -> list[tuple]:
        return self._conn.execute(sql, args).fetchall()

    def _rows(self, sql: str, args: Sequence[Any] = ()) -> list[tuple]:
        return self._conn.execute(sql, args).fetchall()

    def _write(self, sql: str, args: Sequence[Any] = ()) -> int:
        with self._write_lock:
            return self._conn.execute(sql, args).rowcount

    def list_events(self, org_id: str, flt: EventFilter) -> EventPage:
        where, args = page_filter_sql(self._run, org_id, flt, "?")
        rows = self._conn.execute(
            f"SELECT {_EVENT_COLUMNS} FROM events WHERE {where}"
            f" ORDER BY seq {'ASC' if flt.order == 'asc' else 'DESC'} LIMIT ? OFFSET ?",
            (*args, flt.limit, flt.offset),
        ).fetchall()
        return EventPage(
            events=[row_to_event(r) for r in rows],
            total=count_total(self._run, org_id, flt, "?"),
            limit=flt.limit,
            offset=flt.offset,
        )

    def stats(
        self, org_id: str, after: datetime | None = None, before: datetime | None = None
    ) -> Stats:
        return count_stats(self._run, org_id, after, before, "?")

    def iter_events(self, org_id: str, batch_size: int = 1000) -> Iterator[Event]:
        last = 0
        while True:
            rows = self._conn.execute(
                f"SELECT {_EVENT_COLUMNS} FROM events WHERE org_id = ? AND seq > ?"
                " ORDER BY seq LIMIT ?",
                (org_id, last, batch_size),
            ).fetchall()
            if not rows:
                return
            for r in rows:
                yield row_to_event(r)
            last = rows[-1][2]

    def count(self, org_id: str) -> int:
        row = self._conn.execute("SELECT count(*) FROM events WHERE org_id = ?", (org_id,))
        return row.fetchone()[0]

    def erase(self, org_id: str, event_id: str) -> bool:
        """Remove an event's payload (GDPR Art. 17); its hash and place in the chain remain."""
        with self._write_lock:
            cur = self._conn.execute(
                "UPDATE events SET data = NULL, context = NULL, reasoning = NULL, erased_at = ?"
                " WHERE id = ? AND org_id = ? AND erased_at IS NULL",
                (now_z(), event_id, org_id),
            )
        return cur.rowcount > 0

    def purge(self, org_id: str, older_than: datetime, *, dry_run: bool = False) -> int:
        """Erase the payloads of events created before `older_than` (retention); the chain
        stays verifiable. Returns how many payloads were (with `dry_run`: would be) erased."""
        where = "org_id = ? AND created_at < ? AND erased_at IS NULL"
        args = (org_id, _utc_z(older_than))
        if dry_run:
            return self._conn.execute(
                f"SELECT count(*) FROM events WHERE {where}", args
            ).fetchone()[0]
        with self._write_lock:
            cur = self._conn.execute(
                "UPDATE events SET data = NULL, context = NULL, reasoning = NULL, erased_at = ?"
                f" WHERE {where}",
                (now_z(), *args),
            )
        return cur.rowcount

    def verify(self, org_id: str) -> VerifyResult:
        return verify_chain(self._run, org_id, "?")
