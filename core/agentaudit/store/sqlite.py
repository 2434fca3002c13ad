"""The embedded store: one SQLite file in WAL mode, safe for many threads of one process.

Reads use one connection per thread (WAL lets them run beside a writer); writes are serialised by
an in-process lock and `BEGIN IMMEDIATE`, so the chain head is read and advanced atomically.
Appends from several processes (server workers, a CLI) also queue on a file lock beside the
database: SQLite's own busy handler would make them poll with growing sleeps. Every wait is
bounded (`lock_timeout`); a lock held longer, a full disk or an I/O error is `StoreUnavailable`.

At rest: the database is created 0600 before SQLite opens it (its -wal and -shm files take the
database's mode, the lock file is created 0600); an existing file keeps its mode, with a warning
when others may read it. `secure_delete` zeroes what an erasure removes, and a checkpoint
(TRUNCATE) after each erasure moves it out of the WAL too.
"""

from __future__ import annotations

import contextlib
import fcntl
import functools
import logging
import os
import sqlite3
import threading
import time
from collections.abc import Callable, Collection, Iterator, Mapping, Sequence
from dataclasses import astuple
from datetime import datetime
from pathlib import Path
from typing import Any, TypeVar

from ulid import ULID

from agentaudit.alerts.store import WebhooksMixin
from agentaudit.approvals import (
    Approval,
    ApprovalClosed,
    ApprovalNotFound,
    drafts_done,
    outcome_record,
)
from agentaudit.models import Decision, Event, EventFilter, EventPage, Policy, Stats, _utc_z
from agentaudit.policy_history import change_record
from agentaudit.secret_mask import new_key
from agentaudit.store._sql import (
    ADD_CHECKPOINT_SQL,
    ERASE_SET,
    EVENT_COLUMNS,
    EXPIRE_SESSIONS_SQL,
    HEADS_TO_SIGN_SQL,
    LOAD_SESSION_SQL,
    SAVE_SESSION_SQL,
    Head,
    PreparedEvent,
    active_keys_sql,
    chain_fields,
    chain_prepared,
    chain_row,
    count_stats,
    count_total,
    current_payloads_sql,
    filter_sql,
    fingerprint_pattern,
    fingerprint_search_sql,
    heads,
    insert_events_sql,
    known_events,
    mask_update_args,
    mask_update_sql,
    now_ms,
    now_z,
    page_filter_sql,
    payloads_to_mask_sql,
    prepare_event,
    read_chain_rows,
    read_checkpoints,
    replay_args,
    replay_rows_sql,
    row_to_event,
    split_known,
    stored_payload,
    unchanged,
    upsert_counts_sql,
    verify_chain,
)
from agentaudit.store._sql import parse_z as _parse_z
from agentaudit.store.ai_systems import AISystemsMixin
from agentaudit.store.approvals import (
    APPROVAL_COLUMNS,
    ApprovalsMixin,
    approval_rows,
    checked_decision,
    decide_sql,
    insert_approval_sql,
    outcome_state,
    row_to_approval,
    with_approval_ids,
)
from agentaudit.store.base import (
    UNKNOWN_ACTOR,
    ApiKeyInfo,
    KeyRevoked,
    NewEvent,
    Org,
    PayloadMask,
    SchemaOutOfDate,
    SessionRecord,
    StoredPayload,
    StoreUnavailable,
    lock_timeout,
)
from agentaudit.store.chain import GENESIS, ChainRow, VerifyResult
from agentaudit.store.checkpoint import Checkpoint
from agentaudit.store.erasure import (
    ERASE_ACTION,
    PURGE_ACTION,
    PURGE_CHUNK,
    NotErasable,
    erasure_record,
    masking_record,
)
from agentaudit.store.migrate import SCHEMA_HEAD, upgrade
from agentaudit.store.policy_history import (
    PolicyVersionsMixin,
    change_args,
    insert_change_sql,
    update_org_sql,
)
from agentaudit.store.provenance_sqlite import SQLiteProvenanceMixin
from agentaudit.store.subject_index import (
    SUBJECT_ACTION,
    SUBJECT_CHUNK,
    SubjectErased,
    SubjectIndexMixin,
    SubjectRow,
    chunk_sql,
    delete_rows_sql,
    erase_rows_sql,
    insert_subjects_sql,
    record_data,
)

# the shared helpers, importable from here as before
__all__ = ["SQLiteStore", "chain_fields", "chain_row", "filter_sql", "now_z", "row_to_event"]

log = logging.getLogger("agentaudit")

_EVENT_COLUMNS = EVENT_COLUMNS
_INSERT = insert_events_sql("?")
_UPSERT_COUNTS = upsert_counts_sql("?")
_INSERT_APPROVAL = insert_approval_sql("?")
_INSERT_SUBJECTS = insert_subjects_sql("?")
_DEFAULT_POLICY = Policy()
_CHECKPOINT_TRIES = 2  # each waits up to lock_timeout (SQLite's busy handler)
T = TypeVar("T")


MAX_BYTES_ENV = "AGENTAUDIT_SQLITE_MAX_BYTES"


def max_bytes() -> int | None:
    """$AGENTAUDIT_SQLITE_MAX_BYTES: a cap on the database file's size (writes beyond it are
    `StoreUnavailable`, as on a full disk), so a flood of events cannot fill the disk."""
    text = os.environ.get(MAX_BYTES_ENV)
    if not text:
        return None
    try:
        value = int(text)
    except ValueError:
        raise ValueError(f"{MAX_BYTES_ENV}={text!r} is not a number of bytes") from None
    if value < 65536:
        raise ValueError(f"{MAX_BYTES_ENV}={text!r}: at least 65536 bytes")
    return value


def _is_file(db_path: str) -> bool:
    return db_path != ":memory:" and not db_path.startswith("file:")


def create_private(db_path: str) -> None:
    """Create the database file readable by its owner only, before SQLite does (SQLite would
    create it 0644 less the umask, and its -wal and -shm files copy the database's mode). A
    missing directory is created 0700. An existing file keeps its mode: an operator may have
    chosen it; a warning says when others can read it."""
    if not _is_file(db_path):
        return
    path = Path(db_path).expanduser()
    if not path.parent.exists():
        path.parent.mkdir(parents=True, mode=0o700, exist_ok=True)
    try:
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    except FileExistsError:
        mode = path.stat().st_mode & 0o777
        if mode & 0o077:
            log.warning(
                "agentaudit: %s can be read by others (mode %o) though it holds personal data"
                " and API key hashes; `chmod 600` it and its -wal, -shm and -lock files",
                path,
                mode,
            )


def _unavailable(exc: sqlite3.Error, path: str, timeout: float) -> StoreUnavailable | None:
    """The `StoreUnavailable` an SQLite error stands for (it passes; nothing was written), or
    None for an error that is the request's or the code's own."""
    code = getattr(exc, "sqlite_errorcode", None)
    primary = None if code is None else code & 0xFF
    if primary == sqlite3.SQLITE_FULL:
        return StoreUnavailable(
            f"the store's disk is full: SQLite could not write to {path} (database or disk is"
            f" full: the disk, or the cap {MAX_BYTES_ENV} when set); free space, then retry",
            retry_after=60,
        )
    if primary in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED):
        return StoreUnavailable(
            f"the database {path} stayed locked by another connection for more than"
            f" {timeout:g} s (SQLite: {exc})",
            retry_after=2,
        )
    if primary == sqlite3.SQLITE_IOERR:
        return StoreUnavailable(f"disk I/O error on {path} (SQLite: {exc})", retry_after=30)
    if primary == sqlite3.SQLITE_READONLY:
        return StoreUnavailable(f"the database {path} is read-only (SQLite: {exc})", retry_after=60)
    return None


def _translated(method: Callable[..., T]) -> Callable[..., T]:
    """Store methods answer `StoreUnavailable` for what passes (see `_unavailable`)."""

    @functools.wraps(method)
    def wrapper(self: SQLiteStore, *args: Any, **kwargs: Any) -> T:
        try:
            return method(self, *args, **kwargs)
        except sqlite3.OperationalError as exc:
            found = _unavailable(exc, self.path, self.lock_timeout)
            if found is None:
                raise
            raise found from exc

    return wrapper


class WriterLock:
    """An exclusive `flock` on `<db>-lock` held around each append, so writers of several
    processes wait their turn instead of polling SQLite's busy handler (with its sleeps of up
    to 100 ms). The wait is bounded: when the lock stays taken, it polls every millisecond or
    so up to `timeout`, then `StoreUnavailable`. The file is opened at the first append, so a
    store only read from creates nothing."""

    def __init__(self, db_path: str) -> None:
        self._path: str | None = None
        if _is_file(db_path):
            self._path = str(Path(db_path).expanduser()) + "-lock"
        self._fd: int | None = None

    def acquire(self, timeout: float) -> None:
        if self._path is None:
            return
        if self._fd is None:
            self._fd = os.open(self._path, os.O_RDWR | os.O_CREAT, 0o600)
        deadline = time.monotonic() + timeout
        pause = 0.00005
        while True:
            try:
                fcntl.flock(self._fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                return
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise StoreUnavailable(
                        f"another process held the writers' lock {self._path} for more than"
                        f" {timeout:g} s",
                        retry_after=2,
                    ) from None
            time.sleep(pause)
            pause = min(pause * 2, 0.001)

    def release(self) -> None:
        if self._fd is not None:
            fcntl.flock(self._fd, fcntl.LOCK_UN)

    def close(self) -> None:
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None


class SQLiteStore(
    AISystemsMixin,
    ApprovalsMixin,
    WebhooksMixin,
    SubjectIndexMixin,
    PolicyVersionsMixin,
    SQLiteProvenanceMixin,
):
    """`EventStore` on one SQLite file (and the AI Act register, store/ai_systems.py, the
    data-subject index, store/subject_index.py, and provenance sessions for processes that
    share the file, store/provenance_sqlite.py)."""

    _placeholder = "?"
    _dialect = "sqlite"

    def __init__(self, path: str | Path, *, create: bool = True, auto_upgrade: bool = True) -> None:
        self.path = str(path)
        self.lock_timeout = lock_timeout()
        self.max_bytes = max_bytes()
        if create:
            create_private(self.path)
        elif _is_file(self.path) and not Path(self.path).expanduser().exists():
            raise SchemaOutOfDate(
                f"{self.path} holds no AgentAudit schema (no such file): run"
                f" `agentaudit db upgrade --db {self.path}`"
            )
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
            self.path, timeout=self.lock_timeout, isolation_level=None, check_same_thread=False
        )
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=NORMAL")
        conn.execute("PRAGMA wal_autocheckpoint=10000")
        conn.execute("PRAGMA cache_size=-65536")
        conn.execute("PRAGMA foreign_keys=ON")
        conn.execute(f"PRAGMA busy_timeout={int(self.lock_timeout * 1000)}")
        conn.execute("PRAGMA secure_delete=ON")  # what is deleted or overwritten is zeroed
        if self.max_bytes is not None:
            page = conn.execute("PRAGMA page_size").fetchone()[0]
            conn.execute(f"PRAGMA max_page_count={max(1, self.max_bytes // page)}")
        return conn

    # -- writing -----------------------------------------------------------------------------
    @contextlib.contextmanager
    def _locked(self, *, writers: bool = False) -> Iterator[None]:
        """This process's write lock (and the writers' file lock, for chain appends), each
        waited for at most `lock_timeout` seconds."""
        if not self._write_lock.acquire(timeout=self.lock_timeout):
            raise StoreUnavailable(
                f"another writer of this process held {self.path} for more than"
                f" {self.lock_timeout:g} s",
                retry_after=2,
            )
        try:
            if not writers:
                yield
                return
            self._writers.acquire(self.lock_timeout)
            try:
                yield
            finally:
                self._writers.release()
        finally:
            self._write_lock.release()

    @contextlib.contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        """One write transaction under both locks: committed when the block ends, rolled back
        when it raises. SQLite rolls back by itself on some errors (a full disk), so ROLLBACK
        runs only while a transaction is open: never hiding the cause behind "cannot rollback
        - no transaction is active"."""
        conn = self._conn
        with self._locked(writers=True):
            conn.execute("BEGIN IMMEDIATE")
            try:
                yield conn
                conn.execute("COMMIT")
            except BaseException:
                if conn.in_transaction:
                    with contextlib.suppress(sqlite3.Error):
                        conn.execute("ROLLBACK")
                raise

    def _write(self, sql: str, args: Sequence[Any] = ()) -> int:
        """One statement in its own transaction, under this process's write lock; the number
        of rows it changed."""
        with self._locked():
            return self._conn.execute(sql, args).rowcount

    def _checkpoint(self) -> None:
        """Move everything out of the WAL and truncate it, so an erased payload's old page
        images do not stay there until the next automatic checkpoint. A writer or a reader of
        an older snapshot (another process) may hold it up: it waits, is tried once more, then
        left to a warning (the next checkpoint removes them)."""
        for _ in range(_CHECKPOINT_TRIES):
            busy, _, _ = self._conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
            if not busy:
                return
            time.sleep(0.05)
        log.warning(
            "agentaudit: after an erasure the WAL of %s could not be truncated (readers kept"
            " it busy); erased payloads stay in it until the next checkpoint",
            self.path,
        )

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
    @_translated
    def create_org(self, name: str) -> Org:
        org = Org(id=str(ULID()), name=name, created_at=now_ms())
        try:
            self._write(
                "INSERT INTO orgs (id, name, created_at, policy, fingerprint_key)"
                " VALUES (?,?,?,NULL,?)",
                (org.id, name, _utc_z(org.created_at), new_key().hex()),
            )
        except sqlite3.IntegrityError as exc:
            raise ValueError(f"organisation {name!r} exists already") from exc
        return org

    @_translated
    def find_org(self, name: str) -> Org | None:
        row = self._conn.execute(
            "SELECT id, name, created_at FROM orgs WHERE name = ?", (name,)
        ).fetchone()
        return Org(row[0], row[1], _parse_z(row[2])) if row else None

    @_translated
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

    @_translated
    def list_orgs(self) -> list[Org]:
        rows = self._conn.execute("SELECT id, name, created_at FROM orgs ORDER BY id").fetchall()
        return [Org(r[0], r[1], _parse_z(r[2])) for r in rows]

    @_translated
    def add_api_key(
        self, org_id: str, key_hash: str, prefix: str, name: str | None = None
    ) -> ApiKeyInfo:
        info = ApiKeyInfo(str(ULID()), org_id, prefix, name, now_ms(), None)
        self._write(
            "INSERT INTO api_keys (id, org_id, key_hash, prefix, name, created_at)"
            " VALUES (?,?,?,?,?,?)",
            (info.id, org_id, key_hash, prefix, name, _utc_z(info.created_at)),
        )
        return info

    @_translated
    def org_for_key_hash(self, key_hash: str) -> str | None:
        row = self._conn.execute(
            "SELECT org_id FROM api_keys WHERE key_hash = ? AND revoked_at IS NULL", (key_hash,)
        ).fetchone()
        return row[0] if row else None

    @_translated
    def list_api_keys(self, org_id: str | None = None) -> list[ApiKeyInfo]:
        sql = "SELECT id, org_id, prefix, name, created_at, revoked_at FROM api_keys"
        rows = (
            self._conn.execute(sql + " WHERE org_id = ? ORDER BY id", (org_id,))
            if org_id
            else self._conn.execute(sql + " ORDER BY id")
        ).fetchall()
        return [ApiKeyInfo(r[0], r[1], r[2], r[3], _parse_z(r[4]), _parse_z(r[5])) for r in rows]

    @_translated
    def revoke_api_key(self, key_id_or_prefix: str) -> bool:
        n = self._write(
            "UPDATE api_keys SET revoked_at = ? WHERE (id = ? OR prefix = ?)"
            " AND revoked_at IS NULL",
            (now_z(), key_id_or_prefix, key_id_or_prefix),
        )
        return n > 0

    @_translated
    def fingerprint_key(self, org_id: str) -> bytes:
        sql = "SELECT fingerprint_key FROM orgs WHERE id = ?"
        row = self._conn.execute(sql, (org_id,)).fetchone()
        if row is None:
            raise KeyError(f"no organisation {org_id}")
        if row[0] is None:  # an organisation made by code older than its column
            self._write(
                "UPDATE orgs SET fingerprint_key = ? WHERE id = ? AND fingerprint_key IS NULL",
                (new_key().hex(), org_id),
            )
            row = self._conn.execute(sql, (org_id,)).fetchone()
        return bytes.fromhex(row[0])

    def get_policy(self, org_id: str) -> Policy:
        return self.policy_in_force(org_id)[0]

    @_translated
    def policy_in_force(self, org_id: str) -> tuple[Policy, int]:
        """The policy and its version (0: no change recorded), in one read."""
        row = self._conn.execute(
            "SELECT policy, policy_version FROM orgs WHERE id = ?", (org_id,)
        ).fetchone()
        return self._parsed_policy(org_id, row)

    def _parsed_policy(self, org_id: str, row: Sequence[Any] | None) -> tuple[Policy, int]:
        version = int(row[1]) if row is not None else 0
        if row is None or row[0] is None:
            return _DEFAULT_POLICY, version
        cached = self._policy_cache.get(org_id)
        if cached is not None and cached[0] == row[0]:
            return cached[1], version  # Policy is frozen, so sharing it is safe
        policy = Policy.model_validate_json(row[0])
        self._policy_cache[org_id] = (row[0], policy)
        return policy, version

    @_translated
    def set_policy(
        self, org_id: str, policy: Policy, *, actor: str = UNKNOWN_ACTOR, source: str = "api"
    ) -> Policy:
        """Make `policy` the one in force, as its next version, and chain the record of the
        change naming `actor`, in one transaction (policy_history.py); the policy in force
        set again changes nothing."""
        new_json = policy.model_dump_json()
        with self._transaction() as conn:
            row = conn.execute(
                "SELECT policy, policy_version FROM orgs WHERE id = ?", (org_id,)
            ).fetchone()
            if row is None:
                raise KeyError(f"no organisation {org_id}")
            old, current = self._parsed_policy(org_id, row)
            if old == policy:
                return policy
            version = current + 1
            record = change_record(old, policy, version, actor, source, now_ms())
            seq = self._chain_locked(conn, org_id, [prepare_event(org_id, record, None)])
            n = conn.execute(update_org_sql("?"), (new_json, version, org_id, current)).rowcount
            if n != 1:  # cannot happen under the writers' lock; never chain a change that did not
                raise RuntimeError(f"the policy of {org_id} changed while it was being set")
            conn.execute(
                insert_change_sql("?"),
                change_args(
                    org_id, record, source, new_json, version, old.model_dump_json(), actor, seq
                ),
            )
        return policy

    # -- dashboard sessions ------------------------------------------------------------------
    @_translated
    def save_session(self, session: SessionRecord) -> None:
        self._write(SAVE_SESSION_SQL.format(p="?"), astuple(session))

    @_translated
    def load_session(self, id_hash: str) -> SessionRecord | None:
        row = self._conn.execute(LOAD_SESSION_SQL.format(p="?"), (id_hash,)).fetchone()
        return SessionRecord(*row) if row else None

    @_translated
    def delete_session(self, id_hash: str) -> None:
        self._write("DELETE FROM dashboard_sessions WHERE id_hash = ?", (id_hash,))

    @_translated
    def expire_sessions(self, idle_before: float, created_before: float) -> int:
        n = self._write(EXPIRE_SESSIONS_SQL.format(p="?"), (idle_before, created_before))
        return n

    # -- events ------------------------------------------------------------------------------
    @_translated
    def append(
        self, org_id: str, events: Sequence[NewEvent], *, key_hashes: Collection[str] = ()
    ) -> list[Event]:
        if not events:
            return []
        prepared = [
            prepare_event(org_id, n.event, n.idempotency_key, n.request_digest, n.subjects)
            for n in events
        ]
        keys = sorted(set(key_hashes))
        with self._transaction() as conn:
            if keys:
                sql = active_keys_sql("?", len(keys))
                if conn.execute(sql, (org_id, *keys)).fetchone()[0] != len(keys):
                    raise KeyRevoked(org_id)
            out = self._append_locked(conn, org_id, prepared)
        drafts_done([n.event for n in events])
        return out

    def _append_locked(
        self, conn: sqlite3.Connection, org_id: str, events: Sequence[PreparedEvent]
    ) -> list[Event]:
        keys = [n.key for n in events if n.key is not None]
        existing: dict[str, tuple[Event, str | None]] = {}
        if keys:
            for i in range(0, len(keys), 500):
                chunk = keys[i : i + 500]
                rows = conn.execute(
                    f"SELECT {_EVENT_COLUMNS}, idempotency_key, idempotency_digest FROM events"
                    f" WHERE org_id = ? AND idempotency_key IN ({','.join('?' * len(chunk))})",
                    (org_id, *chunk),
                ).fetchall()
                existing.update(known_events(rows))
        out, fresh = split_known(events, existing)
        if fresh:
            self._chain_locked(conn, org_id, fresh)
            held = approval_rows(org_id, [item.event for item in fresh])
            if held:  # their approval requests, in the same transaction
                conn.executemany(_INSERT_APPROVAL, held)
        if existing and any(e.decision == Decision.REVIEW and e.approval_id is None for e in out):
            out = self._replayed_approvals(conn, org_id, out)
        return out

    def _replayed_approvals(
        self, conn: sqlite3.Connection, org_id: str, events: list[Event]
    ) -> list[Event]:
        """Replayed held calls (read back by idempotency key) with their request's id."""
        ids = [e.id for e in events if e.decision == Decision.REVIEW]
        rows = conn.execute(
            f"SELECT event_id, id FROM approvals WHERE org_id = ?"
            f" AND event_id IN ({','.join('?' * len(ids))})",
            (org_id, *ids),
        ).fetchall()
        return with_approval_ids(events, {r[0]: r[1] for r in rows})

    def _chain_locked(
        self, conn: sqlite3.Connection, org_id: str, items: Sequence[PreparedEvent]
    ) -> int:
        """Chain and insert `items` after the head; returns the new head's seq."""
        head = conn.execute(
            "SELECT seq, hash FROM chain_heads WHERE org_id = ?", (org_id,)
        ).fetchone()
        seq, prev = (head[0], head[1]) if head else (0, GENESIS)
        batch = chain_prepared(org_id, items, seq, prev)
        conn.executemany(_INSERT, batch.rows)
        if batch.subjects:
            conn.executemany(_INSERT_SUBJECTS, batch.subjects)
        conn.executemany(_UPSERT_COUNTS, batch.counts)
        conn.execute(
            "INSERT INTO chain_heads (org_id, seq, hash) VALUES (?,?,?)"
            " ON CONFLICT(org_id) DO UPDATE SET seq = excluded.seq, hash = excluded.hash",
            (org_id, batch.head_seq, batch.head_hash),
        )
        return batch.head_seq

    @_translated
    def get_event(self, org_id: str, event_id: str) -> Event | None:
        row = self._conn.execute(
            f"SELECT {_EVENT_COLUMNS} FROM events WHERE id = ? AND org_id = ?", (event_id, org_id)
        ).fetchone()
        return row_to_event(row) if row else None

    def _run(self, sql: str, args: list[Any]) -> list[tuple]:
        return self._conn.execute(sql, args).fetchall()

    def _rows(self, sql: str, args: Sequence[Any] = ()) -> list[tuple]:
        return self._conn.execute(sql, args).fetchall()

    @_translated
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

    @_translated
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

    @_translated
    def replay_rows(
        self,
        org_id: str,
        after_seq: int,
        limit: int,
        since: datetime | None = None,
        until: datetime | None = None,
    ) -> list[tuple]:
        """The next `limit` call rows after `after_seq` with the columns policy replay reads
        (_sql.REPLAY_COLUMNS), in seq order."""
        sql = replay_rows_sql("?", since is not None, until is not None)
        args = replay_args(org_id, after_seq, since, until, limit)
        return self._conn.execute(sql, args).fetchall()

    @_translated
    def count(self, org_id: str) -> int:
        row = self._conn.execute("SELECT count(*) FROM events WHERE org_id = ?", (org_id,))
        return row.fetchone()[0]

    @_translated
    def erase(self, org_id: str, event_id: str, *, actor: str = UNKNOWN_ACTOR) -> bool:
        """Remove an event's payload (GDPR Art. 17) and chain the record of it (who, when), in
        one transaction; its hash and place in the chain remain."""
        policy = self.get_policy(org_id)
        with self._transaction() as conn:
            row = conn.execute(
                "SELECT seq, kind, erased_at FROM events WHERE id = ? AND org_id = ?",
                (event_id, org_id),
            ).fetchone()
            if row is None or row[2] is not None:
                return False
            if row[1] != "call":
                raise NotErasable(
                    f"event {event_id} is an erasure record; it is the evidence of an erasure"
                    " and cannot be erased"
                )
            data = {"event_id": event_id, "seq": row[0], "count": 1}
            record = erasure_record(ERASE_ACTION, data, actor, policy)
            seq = self._chain_locked(conn, org_id, [prepare_event(org_id, record, None)])
            conn.execute(
                f"UPDATE events SET {ERASE_SET}, erased_at = ?, erased_by = ?"
                " WHERE id = ? AND org_id = ?",
                (_utc_z(record.created_at), seq, event_id, org_id),
            )
        self._checkpoint()
        return True

    @_translated
    def purge(
        self,
        org_id: str,
        older_than: datetime,
        *,
        dry_run: bool = False,
        actor: str = UNKNOWN_ACTOR,
    ) -> int:
        """Erase the payloads of events created before `older_than` (retention), PURGE_CHUNK
        per transaction, each chunk with its erasure record; the chain stays verifiable.
        Returns how many payloads were (with `dry_run`: would be) erased."""
        where = "org_id = ? AND kind = 'call' AND created_at < ? AND erased_at IS NULL"
        before = _utc_z(older_than)
        args = (org_id, before)
        if dry_run:
            return self._conn.execute(
                f"SELECT count(*) FROM events WHERE {where}", args
            ).fetchone()[0]
        policy = self.get_policy(org_id)
        total = 0
        while True:
            with self._transaction() as conn:
                seqs = [
                    r[0]
                    for r in conn.execute(
                        f"SELECT seq FROM events WHERE {where} ORDER BY seq LIMIT ?",
                        (*args, PURGE_CHUNK),
                    )
                ]
                if not seqs:
                    break
                data = {"before": before, "count": len(seqs)}
                record = erasure_record(PURGE_ACTION, data, actor, policy)
                head = self._chain_locked(conn, org_id, [prepare_event(org_id, record, None)])
                conn.execute(
                    f"UPDATE events SET {ERASE_SET}, erased_at = ?, erased_by = ?"
                    f" WHERE org_id = ? AND seq IN ({','.join('?' * len(seqs))})",
                    (_utc_z(record.created_at), head, org_id, *seqs),
                )
            total += len(seqs)
            if len(seqs) < PURGE_CHUNK:
                break
        if total:
            self._checkpoint()
        return total

    # the index's reads and writes (store/subject_index.py), answering StoreUnavailable
    @_translated
    def find_subjects(
        self, org_id: str, hashes: Sequence[str], limit: int, offset: int
    ) -> tuple[int, list[SubjectRow]]:
        return super().find_subjects(org_id, hashes, limit, offset)

    @_translated
    def payloads_to_index(self, org_id: str, after_seq: int, limit: int) -> list[tuple[int, Event]]:
        return super().payloads_to_index(org_id, after_seq, limit)

    @_translated
    def add_subjects(self, org_id: str, rows: Sequence[tuple[str, str, int]]) -> int:
        return super().add_subjects(org_id, rows)

    @_translated
    def erase_subjects(self, org_id: str, hashes: Sequence[str], *, actor: str) -> SubjectErased:
        """Erase the payloads of the events a value's index rows point to (GDPR Art. 17),
        SUBJECT_CHUNK per transaction, each with its chained erasure record naming `actor`,
        and delete those rows with them; then the WAL is truncated, as after an erasure."""
        done = SubjectErased()
        if not hashes:
            return done
        policy = self.get_policy(org_id)
        changed = False
        while True:
            with self._transaction() as conn:
                rows = conn.execute(
                    chunk_sql("?", len(hashes)), (org_id, *hashes, SUBJECT_CHUNK)
                ).fetchall()
                if not rows:
                    break
                fresh = [(int(r[0]), str(r[1])) for r in rows if r[2] == "call" and not r[3]]
                done.already_erased += sum(1 for r in rows if r[3])
                if fresh:
                    seqs, ids = [f[0] for f in fresh], [f[1] for f in fresh]
                    record = erasure_record(SUBJECT_ACTION, record_data(ids, seqs), actor, policy)
                    head = self._chain_locked(conn, org_id, [prepare_event(org_id, record, None)])
                    conn.execute(
                        erase_rows_sql("?", len(seqs), ERASE_SET),
                        (_utc_z(record.created_at), head, org_id, *seqs),
                    )
                    done.event_ids += ids
                    done.records.append(record.id)
                every = [int(r[0]) for r in rows]
                conn.execute(
                    delete_rows_sql("?", len(hashes), len(every)), (org_id, *hashes, *every)
                )
                changed = True
            if len(rows) < SUBJECT_CHUNK:
                break
        if changed:
            self._checkpoint()
        return done

    # provenance sessions (store/provenance_sqlite.py), answering StoreUnavailable
    @_translated
    def provenance_rows(
        self, org_id: str, session: int, hashes: Sequence[int], since: float
    ) -> list[Any]:
        return super().provenance_rows(org_id, session, hashes, since)

    @_translated
    def provenance_take(self, org_id: str, session: int, value_hash: int, since: float) -> bool:
        return super().provenance_take(org_id, session, value_hash, since)

    @_translated
    def provenance_put(
        self,
        org_id: str,
        session: int,
        rows: Sequence[tuple[Any, ...]],
        limits: Mapping[int, int],
        now: float,
    ) -> None:
        super().provenance_put(org_id, session, rows, limits, now)

    @_translated
    def find_fingerprint(self, org_id: str, fp: str, limit: int = 100) -> list[Event]:
        pattern = fingerprint_pattern(fp)
        sql = fingerprint_search_sql("?")
        args = (org_id, pattern, pattern, pattern, pattern, limit)
        return [row_to_event(r) for r in self._conn.execute(sql, args).fetchall()]

    @_translated
    def payloads_to_mask(
        self, org_id: str, after_seq: int, limit: int, *, with_secret_types: bool = True
    ) -> list[StoredPayload]:
        sql = payloads_to_mask_sql("?", with_secret_types)
        rows = self._conn.execute(sql, (org_id, after_seq, limit)).fetchall()
        return [stored_payload(r) for r in rows]

    @_translated
    def mask_payloads(
        self, org_id: str, masks: Sequence[PayloadMask], *, actor: str = UNKNOWN_ACTOR
    ) -> int:
        """Mask the payloads and chain the record of it, in one transaction (store/chain.py
        says how `verify` checks them); then the WAL is truncated, as after an erasure."""
        if not masks:
            return 0
        policy = self.get_policy(org_id)
        with self._transaction() as conn:
            now = conn.execute(
                current_payloads_sql("?", len(masks)), (org_id, *(m.seq for m in masks))
            ).fetchall()
            kept = unchanged(masks, now)
            if not kept:
                return 0
            record = masking_record(kept, actor, policy)
            seq = self._chain_locked(conn, org_id, [prepare_event(org_id, record, None)])
            conn.executemany(mask_update_sql("?"), [mask_update_args(m, seq, org_id) for m in kept])
        self._checkpoint()
        return len(kept)

    @_translated
    def decide_approval(
        self,
        org_id: str,
        approval_id: str,
        decision: str,
        approver: str,
        comment: str | None = None,
    ) -> Approval:
        """Decide a pending, unexpired request and chain the record of the outcome, in one
        transaction (the writers' lock makes it the only decision)."""
        verdict = checked_decision(decision)
        policy = self.get_policy(org_id)
        with self._transaction() as conn:
            row = conn.execute(
                f"SELECT {APPROVAL_COLUMNS} FROM approvals WHERE org_id = ? AND id = ?",
                (org_id, approval_id),
            ).fetchone()
            if row is None:
                raise ApprovalNotFound(approval_id)
            now = now_ms()
            current = row_to_approval(row, now)
            if current.final:
                raise ApprovalClosed(current)
            record = outcome_record(current, verdict, approver, comment, now, policy)
            self._chain_locked(conn, org_id, [prepare_event(org_id, record, None)])
            n = conn.execute(
                decide_sql("?"),
                (
                    outcome_state(verdict).value,
                    verdict,
                    approver,
                    comment,
                    _utc_z(now),
                    record.id,
                    org_id,
                    approval_id,
                    _utc_z(now),
                ),
            ).rowcount
            if n != 1:  # cannot happen under the lock; never chain an outcome that did not
                raise ApprovalClosed(current)
        decided = self.get_approval(org_id, approval_id)
        assert decided is not None
        return decided

    @_translated
    def verify(self, org_id: str, checkpoints: Sequence[Checkpoint] | None = None) -> VerifyResult:
        return verify_chain(self._run, org_id, "?", checkpoints)

    # -- signed checkpoints (store/checkpoint.py) ---------------------------------------------
    @_translated
    def add_checkpoints(self, checkpoints: Sequence[Checkpoint]) -> list[Checkpoint]:
        """Store checkpoints; one already stored (same org, seq and key: another process
        signed the same head) is left as it is. Returns those stored now."""
        if not checkpoints:
            return []
        sql = ADD_CHECKPOINT_SQL.format(p="?")
        with self._transaction() as conn:
            return [c for c in checkpoints if conn.execute(sql, astuple(c)).rowcount == 1]

    @_translated
    def list_checkpoints(
        self, org_id: str, after_seq: int = 0, limit: int | None = None
    ) -> list[Checkpoint]:
        return read_checkpoints(self._run, org_id, "?", after_seq, limit)

    @_translated
    def chain_rows(
        self, org_id: str, after_seq: int, upto_seq: int, limit: int = 2000
    ) -> list[ChainRow]:
        return read_chain_rows(self._run, org_id, "?", after_seq, upto_seq, limit)

    @_translated
    def heads_to_sign(self) -> list[Head]:
        return heads(self._rows(HEADS_TO_SIGN_SQL))
