"""The production store: PostgreSQL through a psycopg 3 connection pool.

Several server processes may share one database. Each organisation's chain head is a row in
`chain_heads`; an append locks it (`SELECT … FOR UPDATE`) for its transaction, so appends to one
organisation are serialised across every process and the chain stays gap-free, while other
organisations proceed in parallel. Commits are synchronous: an acknowledged event is durable.

Every wait is bounded: a pooled connection within `lock_timeout` seconds, and each lock by
PostgreSQL's `lock_timeout` set on every connection; a full disk, a lock held longer or an
unreachable server is `StoreUnavailable`. After an erasure the store vacuums `events` in the
background, so the old row versions stop being tuples PostgreSQL can return (docs/postgres.md
says what remains on disk and what removes it).
"""

from __future__ import annotations

import contextlib
import functools
import logging
import os
import re
import threading
import weakref
from collections.abc import Callable, Collection, Iterator, Mapping, Sequence
from dataclasses import astuple
from datetime import datetime
from typing import Any, TypeVar

import psycopg
from psycopg import errors as pg_errors
from psycopg_pool import ConnectionPool, PoolTimeout
from ulid import ULID

from agentaudit.alerts.store import WebhooksMixin
from agentaudit.approvals import (
    Approval,
    ApprovalClosed,
    ApprovalNotFound,
    drafts_done,
    outcome_record,
)
from agentaudit.errors import ValidationError
from agentaudit.models import Decision, Event, EventFilter, EventPage, Policy, Stats, _utc_z
from agentaudit.policy_history import change_record
from agentaudit.secret_mask import new_key
from agentaudit.store._sql import (
    ADD_CHECKPOINT_SQL,
    COLUMN_TYPES,
    COUNT_COLUMNS,
    ERASE_SET,
    EVENT_COLUMNS,
    EXPIRE_SESSIONS_SQL,
    HEADS_TO_SIGN_SQL,
    INSERT_COLUMNS,
    INSERT_ROW,
    LOAD_SESSION_SQL,
    SAVE_SESSION_SQL,
    Head,
    PreparedEvent,
    chain_prepared,
    count_stats,
    count_total,
    counts_conflict_sql,
    current_payloads_sql,
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
    parse_z,
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
    verify_chain,
)
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
from agentaudit.store.migrate import SCHEMA_HEAD
from agentaudit.store.policy_history import (
    PolicyVersionsMixin,
    change_args,
    insert_change_sql,
    update_org_sql,
)
from agentaudit.store.provenance_table import ProvenanceTableMixin
from agentaudit.store.subject_index import (
    SUBJECT_ACTION,
    SUBJECT_CHUNK,
    SUBJECT_COLUMNS,
    SubjectErased,
    SubjectIndexMixin,
    SubjectRow,
    chunk_sql,
    delete_rows_sql,
    erase_rows_sql,
    record_data,
)

log = logging.getLogger("agentaudit")
T = TypeVar("T")

# The column types of INSERT_ROW, in order: rows go in as one array per column (unnest),
# each array as one text parameter (see _array_literal).
_COLUMN_TYPES = [COLUMN_TYPES.get(name, "text") for name in INSERT_ROW]
_COUNT_TYPES = ["text"] * 4 + ["bigint"] * 3  # COUNT_COLUMNS


def _unnest(types: list[str]) -> str:
    return "unnest(" + ", ".join(f"${i}::{t}[]" for i, t in enumerate(types, 1)) + ")"


# An append's statements, prepared once per connection (SQL PREPARE: appends are simple queries
# of several statements, which the protocol's own prepared statements cannot be part of).
# Planning them afresh was a fifth of a small append's time in PostgreSQL.
_PREPARED = [
    "PREPARE aa_lock_head AS SELECT seq, hash FROM chain_heads WHERE org_id = $1 FOR UPDATE",
    "PREPARE aa_active_keys AS SELECT count(*) FROM api_keys WHERE org_id = $1"
    " AND revoked_at IS NULL AND key_hash = ANY($2::text[])",
    f"PREPARE aa_insert_events AS INSERT INTO events ({INSERT_COLUMNS})"
    f" SELECT * FROM {_unnest(_COLUMN_TYPES)}",
    f"PREPARE aa_add_counts AS INSERT INTO event_counts ({COUNT_COLUMNS})"
    f" SELECT * FROM {_unnest(_COUNT_TYPES)}" + counts_conflict_sql("least", "greatest"),
    "PREPARE aa_move_head AS UPDATE chain_heads SET seq = $2, hash = $3 WHERE org_id = $1",
    f"PREPARE aa_add_subjects AS INSERT INTO subject_index ({SUBJECT_COLUMNS})"
    " SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::bigint[])"
    " ON CONFLICT DO NOTHING",
]
# Never prepared: a generic plan cached while the table was small, and never replanned while the
# statistics stay stale (autovacuum off), scanned every event of the organisation — appends with
# keys slowed down as the table grew. `IS NOT NULL` repeats the predicate of the partial unique
# index, so the planner can always use that index.
_LOOKUP_KEYS = (
    f"SELECT {EVENT_COLUMNS}, idempotency_key, idempotency_digest FROM events"
    " WHERE org_id = %s AND idempotency_key IS NOT NULL AND idempotency_key = ANY(%s)"
)
_CREATE_HEAD = (
    "INSERT INTO chain_heads (org_id, seq, hash) VALUES (%s, 0, %s) ON CONFLICT (org_id) DO NOTHING"
)
_FINISH_BATCH = (
    "EXECUTE aa_add_counts(" + ", ".join(["%s"] * len(_COUNT_TYPES)) + ");"
    "EXECUTE aa_move_head(%s, %s, %s);"
    "COMMIT"
)
_INSERT_BATCH = "EXECUTE aa_insert_events(" + ", ".join(["%s"] * len(_COLUMN_TYPES)) + ");"
_WRITE_BATCH = _INSERT_BATCH + _FINISH_BATCH
_ADD_SUBJECTS = "EXECUTE aa_add_subjects(%s, %s, %s, %s);"  # the data-subject index's rows
# From this many rows on, the events go in by COPY: two more round trips, but PostgreSQL
# reads rows instead of parsing one array per column and unnesting them, and psycopg writes
# them in C, which saves CPU on both sides once a batch is large enough to pay for the round
# trips. Below this size the two ways measured the same (benchmarks/pg_append.py compares them).
COPY_MIN_ROWS = 64
_COPY_EVENTS = f"COPY events ({INSERT_COLUMNS}) FROM STDIN"
_DEFAULT_POLICY = Policy()
_MIGRATION_LOCK = 0x4147_4155_4449_54  # pg_advisory_lock key: one migrator at a time
DEFAULT_POOL_SIZE = 10
_INSERT_ONE = insert_events_sql("%s")
_INSERT_APPROVAL = insert_approval_sql("%s")
_UPSERT_COUNT = (
    f"INSERT INTO event_counts ({COUNT_COLUMNS}) VALUES ({', '.join(['%s'] * 7)})"
    + counts_conflict_sql("least", "greatest")
)


def _unavailable(exc: BaseException, where: str, timeout: float) -> StoreUnavailable | None:
    """The `StoreUnavailable` a database error stands for (it passes; nothing was written), or
    None for an error that is the request's or the code's own."""
    if isinstance(exc, PoolTimeout):
        return StoreUnavailable(
            f"no connection to {where} came free within {timeout:g} s", retry_after=2
        )
    if not isinstance(exc, psycopg.OperationalError):
        return None
    state = exc.sqlstate or ""
    first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    if state == "53100":
        return StoreUnavailable(
            f"PostgreSQL's disk is full ({where}: {first}); free space there, then retry",
            retry_after=60,
        )
    if state.startswith("53"):
        return StoreUnavailable(f"PostgreSQL is out of resources ({first})", retry_after=5)
    if state == "55P03":
        return StoreUnavailable(
            f"a lock in {where} was held by another transaction for more than {timeout:g} s"
            " (PostgreSQL lock_timeout)",
            retry_after=2,
        )
    if state == "57014":
        return StoreUnavailable(f"PostgreSQL cancelled the statement ({first})", retry_after=2)
    if not state or state.startswith(("08", "57")):
        return StoreUnavailable(f"cannot reach PostgreSQL at {where} ({first})", retry_after=5)
    return None


def _translated(method: Callable[..., T]) -> Callable[..., T]:
    """Store methods answer `StoreUnavailable` for what passes (see `_unavailable`)."""

    @functools.wraps(method)
    def wrapper(self: PostgresStore, *args: Any, **kwargs: Any) -> T:
        try:
            return method(self, *args, **kwargs)
        except psycopg.Error as exc:
            found = _unavailable(exc, self.path, self.lock_timeout)
            if found is None:
                raise
            raise found from exc

    return wrapper


def libpq_url(url: str) -> str:
    """The URL psycopg understands (SQLAlchemy's `postgresql+psycopg://` spelling accepted)."""
    return re.sub(r"^(postgresql\+psycopg|postgres)://", "postgresql://", url)


def sqlalchemy_url(url: str) -> str:
    """The URL SQLAlchemy/Alembic need to talk through psycopg 3."""
    return re.sub(r"^(postgresql|postgres|postgresql\+psycopg)://", "postgresql+psycopg://", url)


def redact(url: str) -> str:
    """The URL without its password, for messages and logs."""
    return re.sub(r"(://[^:/@]+):[^@/]*@", r"\1:***@", url)


def _first(row: tuple[Any, ...] | None) -> Any:
    """The first column of a row a query always returns."""
    if row is None:
        raise RuntimeError("the query returned no row")
    return row[0]


def schema_version(conn: psycopg.Connection) -> str | None:
    """The Alembic revision stored in the database, or None for an empty database."""
    if _first(conn.execute("SELECT to_regclass('alembic_version')").fetchone()) is None:
        return None
    row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
    return row[0] if row else None


def upgrade_postgres(url: str, revision: str = "head") -> None:
    """Run the migrations under an advisory lock, so processes starting together on an empty
    database migrate it once instead of racing."""
    from alembic import command
    from sqlalchemy import create_engine, pool, text

    from agentaudit.store.migrate import _config

    engine = create_engine(sqlalchemy_url(url), poolclass=pool.NullPool)
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT pg_advisory_lock(:k)"), {"k": _MIGRATION_LOCK})
            conn.commit()
            try:
                cfg = _config(sqlalchemy_url(url))
                cfg.attributes["connection"] = conn
                command.upgrade(cfg, revision)
                conn.commit()
            finally:
                conn.rollback()
                conn.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": _MIGRATION_LOCK})
                conn.commit()
    finally:
        engine.dispose()


def _array_literal(values: Sequence[object]) -> str:
    """One column as a PostgreSQL array literal, sent as a single text parameter and parsed by
    the server. psycopg adapts a list element by element in Python, which doubled the driver's
    CPU per stored event. Every element is quoted (backslash and double quote escaped, so any
    text survives as it is); None is NULL; ints and bools are written as PostgreSQL reads them
    (`True` is a valid boolean). NUL, which no literal can carry, is refused before
    (_check_text).

    A column of strings alone is escaped in one go: joined on NUL (which no value holds; the
    count of separators proves it), escaped, and the NULs turned into element boundaries — a
    few passes in C instead of a Python step per value."""
    try:
        joined = "\x00".join(values)  # type: ignore[arg-type]  # TypeError unless all are str
    except TypeError:
        joined = None
    if joined is not None and values and joined.count("\x00") == len(values) - 1:
        escaped = joined.replace("\\", "\\\\").replace('"', '\\"').replace("\x00", '","')
        return '{"' + escaped + '"}'
    return (
        "{"
        + ",".join(
            "NULL" if v is None else '"' + str(v).replace("\\", "\\\\").replace('"', '\\"') + '"'
            for v in values
        )
        + "}"
    )


def _columns(rows: Sequence[tuple]) -> list[str]:
    return [_array_literal(column) for column in zip(*rows, strict=True)]


def _check_text(rows: Sequence[tuple]) -> None:
    """PostgreSQL text cannot hold NUL; say which field instead of failing deep in the driver.
    (JSON payloads are stored escaped, so only the plain-text columns can carry one.)"""
    names = {
        3: ("agent_id",),
        4: ("action",),
        5: ("context", "session_id"),
        9: ("reasoning",),
        20: ("idempotency_key",),
    }
    for i, row in enumerate(rows):
        for col, path in names.items():
            value = row[col]
            if isinstance(value, str) and "\x00" in value:
                where = f"events[{i}]." + ".".join(path)
                msg = f"{where} contains a NUL character (\\x00), which cannot be stored"
                loc = ["events", i, *path]
                raise ValidationError(msg, errors=[{"loc": loc, "msg": msg, "type": "value_error"}])


class PostgresStore(
    AISystemsMixin,
    ApprovalsMixin,
    WebhooksMixin,
    SubjectIndexMixin,
    PolicyVersionsMixin,
    ProvenanceTableMixin,
):
    """`EventStore` on a PostgreSQL database (one schema for every organisation), the AI Act
    register (store/ai_systems.py), the data-subject index (store/subject_index.py) and the
    provenance sessions every server process shares (store/provenance_table.py)."""

    _placeholder = "%s"
    _dialect = "postgresql"

    def __init__(
        self,
        url: str,
        *,
        create: bool = True,
        auto_upgrade: bool = True,
        pool_size: int | None = None,
    ) -> None:
        self.url = libpq_url(url)
        self.path = redact(self.url)  # what messages show (the SQLite store shows its path)
        self.lock_timeout = lock_timeout()
        self._prepare_schema(create=create, auto_upgrade=auto_upgrade)
        size = pool_size or int(os.environ.get("AGENTAUDIT_PG_POOL_SIZE", DEFAULT_POOL_SIZE))
        millis = int(self.lock_timeout * 1000)

        def configure(conn: psycopg.Connection) -> None:
            conn.execute(f"SET lock_timeout = {millis}")  # every lock wait is bounded

        self._pool = ConnectionPool(
            self.url,
            min_size=1,
            max_size=size,
            kwargs={"autocommit": True},
            open=True,
            name="agentaudit",
            configure=configure,
            timeout=self.lock_timeout,
        )
        self._policy_cache: dict[str, tuple[str, Policy]] = {}
        # pooled connections that hold the append's prepared statements (_PREPARED)
        self._prepared: weakref.WeakSet[psycopg.Connection] = weakref.WeakSet()
        self._cache_lock = threading.Lock()
        self._vacuum = _Vacuum(self)

    def _prepare_schema(self, *, create: bool, auto_upgrade: bool) -> None:
        try:
            with psycopg.connect(self.url, autocommit=True, connect_timeout=10) as conn:
                current = schema_version(conn)
        except psycopg.OperationalError as exc:
            raise SchemaOutOfDate(f"cannot connect to {self.path}: {exc}") from exc
        if current == SCHEMA_HEAD:
            return
        command = f"agentaudit db upgrade --database-url {self.path}"
        if current is None and not create:
            raise SchemaOutOfDate(f"{self.path} holds no AgentAudit schema: run `{command}`")
        if current is not None and not auto_upgrade:
            raise SchemaOutOfDate(
                f"schema of {self.path} is at {current}, code needs {SCHEMA_HEAD}: run `{command}`"
            )
        upgrade_postgres(self.url)

    def close(self) -> None:
        self._vacuum.close()
        self._pool.close()

    def _rows(self, sql: str, args: Sequence[Any] = ()) -> list[tuple]:
        with self._pool.connection() as conn:
            return conn.execute(sql, args).fetchall()

    def _one(self, sql: str, args: Sequence[Any] = ()) -> tuple | None:
        with self._pool.connection() as conn:
            return conn.execute(sql, args).fetchone()

    def _write(self, sql: str, args: Sequence[Any] = ()) -> int:
        with self._pool.connection() as conn:
            return conn.execute(sql, args).rowcount

    # -- organisations, keys, policy ---------------------------------------------------------
    @_translated
    def create_org(self, name: str) -> Org:
        org = Org(id=str(ULID()), name=name, created_at=now_ms())
        try:
            self._write(
                "INSERT INTO orgs (id, name, created_at, policy, fingerprint_key)"
                " VALUES (%s,%s,%s,NULL,%s)",
                (org.id, name, _utc_z(org.created_at), new_key().hex()),
            )
        except pg_errors.UniqueViolation as exc:
            raise ValueError(f"organisation {name!r} exists already") from exc
        return org

    @_translated
    def find_org(self, name: str) -> Org | None:
        row = self._one("SELECT id, name, created_at FROM orgs WHERE name = %s", (name,))
        return Org(row[0], row[1], parse_z(row[2])) if row else None

    @_translated
    def get_org(self, org_id: str) -> Org | None:
        row = self._one("SELECT id, name, created_at FROM orgs WHERE id = %s", (org_id,))
        return Org(row[0], row[1], parse_z(row[2])) if row else None

    def ensure_org(self, name: str) -> Org:
        org = self.find_org(name)
        if org is not None:
            return org
        try:
            return self.create_org(name)
        except ValueError:  # another process created it just now
            found = self.find_org(name)
            assert found is not None
            return found

    @_translated
    def list_orgs(self) -> list[Org]:
        rows = self._rows("SELECT id, name, created_at FROM orgs ORDER BY id")
        return [Org(r[0], r[1], parse_z(r[2])) for r in rows]

    @_translated
    def add_api_key(
        self, org_id: str, key_hash: str, prefix: str, name: str | None = None
    ) -> ApiKeyInfo:
        info = ApiKeyInfo(str(ULID()), org_id, prefix, name, now_ms(), None)
        self._write(
            "INSERT INTO api_keys (id, org_id, key_hash, prefix, name, created_at)"
            " VALUES (%s,%s,%s,%s,%s,%s)",
            (info.id, org_id, key_hash, prefix, name, _utc_z(info.created_at)),
        )
        return info

    @_translated
    def org_for_key_hash(self, key_hash: str) -> str | None:
        row = self._one(
            "SELECT org_id FROM api_keys WHERE key_hash = %s AND revoked_at IS NULL", (key_hash,)
        )
        return row[0] if row else None

    @_translated
    def list_api_keys(self, org_id: str | None = None) -> list[ApiKeyInfo]:
        sql = "SELECT id, org_id, prefix, name, created_at, revoked_at FROM api_keys"
        rows = (
            self._rows(sql + " WHERE org_id = %s ORDER BY id", (org_id,))
            if org_id
            else self._rows(sql + " ORDER BY id")
        )
        return [ApiKeyInfo(r[0], r[1], r[2], r[3], parse_z(r[4]), parse_z(r[5])) for r in rows]

    @_translated
    def revoke_api_key(self, key_id_or_prefix: str) -> bool:
        n = self._write(
            "UPDATE api_keys SET revoked_at = %s WHERE (id = %s OR prefix = %s)"
            " AND revoked_at IS NULL",
            (now_z(), key_id_or_prefix, key_id_or_prefix),
        )
        return n > 0

    @_translated
    def fingerprint_key(self, org_id: str) -> bytes:
        sql = "SELECT fingerprint_key FROM orgs WHERE id = %s"
        row = self._one(sql, (org_id,))
        if row is None:
            raise KeyError(f"no organisation {org_id}")
        if row[0] is None:  # an organisation made by code older than its column
            self._write(
                "UPDATE orgs SET fingerprint_key = %s WHERE id = %s AND fingerprint_key IS NULL",
                (new_key().hex(), org_id),
            )
            row = self._one(sql, (org_id,))
            assert row is not None
        return bytes.fromhex(row[0])

    def get_policy(self, org_id: str) -> Policy:
        return self.policy_in_force(org_id)[0]

    @_translated
    def policy_in_force(self, org_id: str) -> tuple[Policy, int]:
        """The policy and its version (0: no change recorded), in one read."""
        row = self._one("SELECT policy, policy_version FROM orgs WHERE id = %s", (org_id,))
        return self._parsed_policy(org_id, row)

    def _parsed_policy(self, org_id: str, row: Sequence[Any] | None) -> tuple[Policy, int]:
        version = int(row[1]) if row is not None else 0
        if row is None or row[0] is None:
            return _DEFAULT_POLICY, version
        cached = self._policy_cache.get(org_id)
        if cached is not None and cached[0] == row[0]:
            return cached[1], version  # Policy is frozen, so sharing it is safe
        policy = Policy.model_validate_json(row[0])
        with self._cache_lock:
            self._policy_cache[org_id] = (row[0], policy)
        return policy, version

    @_translated
    def set_policy(
        self, org_id: str, policy: Policy, *, actor: str = UNKNOWN_ACTOR, source: str = "api"
    ) -> Policy:
        """Make `policy` the one in force, as its next version, and chain the record of the
        change naming `actor`, in one transaction (policy_history.py). The chain head is locked
        first (as every append does), then the organisation's row: of two changes at once, the
        second sees the first as the policy it replaces. The policy in force set again changes
        nothing."""
        new_json = policy.model_dump_json()
        with self._pool.connection() as conn, conn.transaction():
            if conn.execute("SELECT 1 FROM orgs WHERE id = %s", (org_id,)).fetchone() is None:
                raise KeyError(f"no organisation {org_id}")
            head = self._lock_head(conn, org_id)
            row = conn.execute(
                "SELECT policy, policy_version FROM orgs WHERE id = %s FOR UPDATE", (org_id,)
            ).fetchone()
            if row is None:
                raise KeyError(f"no organisation {org_id}")
            old, current = self._parsed_policy(org_id, row)
            if old == policy:
                return policy
            version = current + 1
            record = change_record(old, policy, version, actor, source, now_ms())
            seq = self._chain_record(conn, org_id, record, head)
            n = conn.execute(update_org_sql("%s"), (new_json, version, org_id, current)).rowcount
            if n != 1:  # cannot happen under the row lock; never chain a change that did not
                raise RuntimeError(f"the policy of {org_id} changed while it was being set")
            conn.execute(
                insert_change_sql("%s"),
                change_args(
                    org_id, record, source, new_json, version, old.model_dump_json(), actor, seq
                ),
            )
        return policy

    # -- dashboard sessions ------------------------------------------------------------------
    @_translated
    def save_session(self, session: SessionRecord) -> None:
        self._write(SAVE_SESSION_SQL.format(p="%s"), astuple(session))

    @_translated
    def load_session(self, id_hash: str) -> SessionRecord | None:
        row = self._one(LOAD_SESSION_SQL.format(p="%s"), (id_hash,))
        return SessionRecord(*row) if row else None

    @_translated
    def delete_session(self, id_hash: str) -> None:
        self._write("DELETE FROM dashboard_sessions WHERE id_hash = %s", (id_hash,))

    @_translated
    def expire_sessions(self, idle_before: float, created_before: float) -> int:
        return self._write(EXPIRE_SESSIONS_SQL.format(p="%s"), (idle_before, created_before))

    # -- events ------------------------------------------------------------------------------
    @_translated
    def append(
        self, org_id: str, events: Sequence[NewEvent], *, key_hashes: Collection[str] = ()
    ) -> list[Event]:
        """Chain and store `events` in one transaction (all or nothing).

        The idempotency keys are looked up after the head lock is taken, so a key stored by
        another process is always seen; the unique index is the last line of defence, and a
        violation of it (which the lock should make impossible) is retried once. The API keys
        (`key_hashes`) are checked in the same round trip."""
        if not events:
            return []
        api_keys = sorted(set(key_hashes))
        prepared = [
            prepare_event(org_id, n.event, n.idempotency_key, n.request_digest, n.subjects)
            for n in events
        ]
        try:
            out = self._append_once(org_id, prepared, api_keys)
        except pg_errors.UniqueViolation as exc:
            if exc.diag.constraint_name != "uq_events_org_idem":
                raise
            out = self._append_once(org_id, prepared, api_keys)
        drafts_done([n.event for n in events])
        if any(e.decision == Decision.REVIEW and e.approval_id is None for e in out):
            # replayed held calls (read back by idempotency key): their request's id
            ids = self.approval_ids(org_id, [e.id for e in out if e.decision == Decision.REVIEW])
            out = with_approval_ids(out, ids)
        return out

    def _append_once(
        self, org_id: str, prepared: Sequence[PreparedEvent], api_keys: list[str]
    ) -> list[Event]:
        """One transaction in two round trips, each a single simple query of several
        statements (parameters bound on the client): BEGIN + lock the head + check the API keys
        + look up the idempotency keys; then insert the rows, add the counts, move the head,
        COMMIT (a batch of COPY_MIN_ROWS or more sends its rows by COPY before that). psycopg's
        pipeline mode also needs two round trips, but it sends and polls per
        statement (13.5 sends, 22 polls and 5 receives per append, against 2, 2 and 2): each
        system call is dear on a virtual machine, and each gives up the GIL, which the writer
        thread must then win back from a busy event loop."""
        keys = list({n.key for n in prepared if n.key is not None})
        with self._pool.connection() as conn:
            cur = psycopg.ClientCursor(conn)
            new_conn = conn not in self._prepared
            try:
                sql = ["BEGIN", "EXECUTE aa_lock_head(%s)"]
                args: list[Any] = [org_id]
                if new_conn:
                    sql[:0] = _PREPARED
                if api_keys:
                    sql.append("EXECUTE aa_active_keys(%s, %s)")
                    args += [org_id, api_keys]
                if keys:
                    sql.append(_LOOKUP_KEYS)
                    args += [org_id, keys]
                cur.execute(";".join(sql), args)
                if new_conn:
                    self._prepared.add(conn)
                for _ in range(1 + (len(_PREPARED) if new_conn else 0)):
                    cur.nextset()  # past PREPARE and BEGIN
                head = cur.fetchone()
                if api_keys:
                    cur.nextset()
                    if _first(cur.fetchone()) != len(api_keys):
                        raise KeyRevoked(org_id)
                known = []
                if keys:
                    cur.nextset()
                    known = cur.fetchall()
                if head is None:  # the organisation's first event: create its head, lock it
                    cur.execute(
                        _CREATE_HEAD + ";EXECUTE aa_lock_head(%s)", (org_id, GENESIS, org_id)
                    )
                    cur.nextset()
                    head = cur.fetchone()
                if head is None:
                    raise RuntimeError(f"no chain head for organisation {org_id}")
                out, fresh = split_known(prepared, known_events(known))
                if not fresh:
                    cur.execute("COMMIT")
                    return out
                batch = chain_prepared(org_id, fresh, head[0], head[1])
                _check_text(batch.rows)
                for held in approval_rows(org_id, [item.event for item in fresh]):
                    cur.execute(_INSERT_APPROVAL, held)  # in the same transaction
                finish = [*_columns(batch.counts), org_id, batch.head_seq, batch.head_hash]
                subjects, finish_sql = [], _FINISH_BATCH
                if batch.subjects:
                    subjects, finish_sql = _columns(batch.subjects), _ADD_SUBJECTS + _FINISH_BATCH
                if len(batch.rows) >= COPY_MIN_ROWS:
                    with cur.copy(_COPY_EVENTS) as copy:
                        for row in batch.rows:
                            copy.write_row(row)
                    cur.execute(finish_sql, [*subjects, *finish])
                else:  # one statement per table whatever the batch size: columns as arrays
                    cur.execute(
                        _INSERT_BATCH + finish_sql, [*_columns(batch.rows), *subjects, *finish]
                    )
            except BaseException:
                if new_conn and conn not in self._prepared:
                    conn.close()  # some of its PREPAREs may have run: the pool replaces it
                else:
                    with contextlib.suppress(psycopg.Error):  # broken: the pool drops it
                        conn.rollback()
                raise
        return out

    @_translated
    def get_event(self, org_id: str, event_id: str) -> Event | None:
        row = self._one(
            f"SELECT {EVENT_COLUMNS} FROM events WHERE id = %s AND org_id = %s",
            (event_id, org_id),
        )
        return row_to_event(row) if row else None

    @_translated
    def list_events(self, org_id: str, flt: EventFilter) -> EventPage:
        with self._pool.connection() as conn:

            def run(sql: str, params: list[Any]) -> list[tuple]:
                return conn.execute(sql, params).fetchall()

            where, args = page_filter_sql(run, org_id, flt, "%s")
            rows = run(
                f"SELECT {EVENT_COLUMNS} FROM events WHERE {where}"
                f" ORDER BY seq {'ASC' if flt.order == 'asc' else 'DESC'} LIMIT %s OFFSET %s",
                [*args, flt.limit, flt.offset],
            )
            total = count_total(run, org_id, flt, "%s")
        return EventPage(
            events=[row_to_event(r) for r in rows], total=total, limit=flt.limit, offset=flt.offset
        )

    @_translated
    def stats(
        self, org_id: str, after: datetime | None = None, before: datetime | None = None
    ) -> Stats:
        with self._pool.connection() as conn:

            def run(sql: str, params: list[Any]) -> list[tuple]:
                return conn.execute(sql, params).fetchall()

            return count_stats(run, org_id, after, before, "%s")

    def iter_events(self, org_id: str, batch_size: int = 1000) -> Iterator[Event]:
        last = 0
        while True:
            rows = self._rows(
                f"SELECT {EVENT_COLUMNS} FROM events WHERE org_id = %s AND seq > %s"
                " ORDER BY seq LIMIT %s",
                (org_id, last, batch_size),
            )
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
        sql = replay_rows_sql("%s", since is not None, until is not None)
        args = replay_args(org_id, after_seq, since, until, limit)
        return self._rows(sql, args)

    @_translated
    def count(self, org_id: str) -> int:
        row = self._one("SELECT count(*) FROM events WHERE org_id = %s", (org_id,))
        return int(row[0]) if row else 0

    @_translated
    def erase(self, org_id: str, event_id: str, *, actor: str = UNKNOWN_ACTOR) -> bool:
        """Remove an event's payload (GDPR Art. 17) and chain the record of it (who, when), in
        one transaction; its hash and place in the chain remain. The old row version is then
        vacuumed away in the background (see docs/postgres.md for what that does and not)."""
        policy = self.get_policy(org_id)
        with self._pool.connection() as conn, conn.transaction():
            head = self._lock_head(conn, org_id)
            row = conn.execute(
                "SELECT seq, kind, erased_at FROM events WHERE org_id = %s AND id = %s FOR UPDATE",
                (org_id, event_id),
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
            seq = self._chain_record(conn, org_id, record, head)
            conn.execute(
                f"UPDATE events SET {ERASE_SET}, erased_at = %s, erased_by = %s"
                " WHERE org_id = %s AND id = %s",
                (_utc_z(record.created_at), seq, org_id, event_id),
            )
        self._vacuum.request()
        return True

    def _lock_head(self, conn: psycopg.Connection, org_id: str) -> tuple[int, str]:
        """The organisation's chain head, locked until the transaction ends."""
        sql = "SELECT seq, hash FROM chain_heads WHERE org_id = %s FOR UPDATE"
        head = conn.execute(sql, (org_id,)).fetchone()
        if head is None:
            conn.execute(_CREATE_HEAD, (org_id, GENESIS))
            head = conn.execute(sql, (org_id,)).fetchone()
            if head is None:
                raise RuntimeError(f"no chain head for organisation {org_id}")
        return int(head[0]), head[1]

    def _chain_record(
        self, conn: psycopg.Connection, org_id: str, record: Event, head: tuple[int, str]
    ) -> int:
        """Insert one event after the locked head (the slow, plain way: erasures are rare);
        returns its seq."""
        batch = chain_prepared(org_id, [prepare_event(org_id, record, None)], *head)
        _check_text(batch.rows)
        conn.execute(_INSERT_ONE, batch.rows[0])
        with conn.cursor() as cur:
            cur.executemany(_UPSERT_COUNT, batch.counts)
        conn.execute(
            "UPDATE chain_heads SET seq = %s, hash = %s WHERE org_id = %s",
            (batch.head_seq, batch.head_hash, org_id),
        )
        return batch.head_seq

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
        per transaction so no transaction holds many rows for long, each chunk with its erasure
        record; the chain stays verifiable. Returns how many payloads were (with `dry_run`:
        would be) erased."""
        where = "org_id = %s AND kind = 'call' AND created_at < %s AND erased_at IS NULL"
        before = _utc_z(older_than)
        args = (org_id, before)
        if dry_run:
            row = self._one(f"SELECT count(*) FROM events WHERE {where}", args)
            return int(row[0]) if row else 0
        policy = self.get_policy(org_id)
        total = 0
        while True:
            with self._pool.connection() as conn, conn.transaction():
                head = self._lock_head(conn, org_id)
                seqs = [
                    int(r[0])
                    for r in conn.execute(
                        f"SELECT seq FROM events WHERE {where} ORDER BY seq LIMIT %s FOR UPDATE",
                        (*args, PURGE_CHUNK),
                    )
                ]
                if not seqs:
                    break
                data = {"before": before, "count": len(seqs)}
                record = erasure_record(PURGE_ACTION, data, actor, policy)
                seq = self._chain_record(conn, org_id, record, head)
                conn.execute(
                    f"UPDATE events SET {ERASE_SET}, erased_at = %s, erased_by = %s"
                    " WHERE org_id = %s AND seq = ANY(%s)",
                    (_utc_z(record.created_at), seq, org_id, seqs),
                )
            total += len(seqs)
            if len(seqs) < PURGE_CHUNK:
                break
        if total:
            self._vacuum.request()
        return total

    # provenance sessions (store/provenance_table.py), answering StoreUnavailable
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
        and delete those rows with them; the old row versions are then vacuumed."""
        done = SubjectErased()
        if not hashes:
            return done
        policy = self.get_policy(org_id)
        while True:
            with self._pool.connection() as conn, conn.transaction():
                head = self._lock_head(conn, org_id)
                rows = conn.execute(
                    chunk_sql("%s", len(hashes), " FOR UPDATE OF e"),
                    (org_id, *hashes, SUBJECT_CHUNK),
                ).fetchall()
                if not rows:
                    break
                fresh = [(int(r[0]), str(r[1])) for r in rows if r[2] == "call" and not r[3]]
                done.already_erased += sum(1 for r in rows if r[3])
                if fresh:
                    seqs, ids = [f[0] for f in fresh], [f[1] for f in fresh]
                    record = erasure_record(SUBJECT_ACTION, record_data(ids, seqs), actor, policy)
                    seq = self._chain_record(conn, org_id, record, head)
                    conn.execute(
                        erase_rows_sql("%s", len(seqs), ERASE_SET),
                        (_utc_z(record.created_at), seq, org_id, *seqs),
                    )
                    done.event_ids += ids
                    done.records.append(record.id)
                every = [int(r[0]) for r in rows]
                conn.execute(
                    delete_rows_sql("%s", len(hashes), len(every)), (org_id, *hashes, *every)
                )
            if len(rows) < SUBJECT_CHUNK:
                break
        if done.event_ids:
            self._vacuum.request()
        return done

    @_translated
    def find_fingerprint(self, org_id: str, fp: str, limit: int = 100) -> list[Event]:
        pattern = fingerprint_pattern(fp)
        sql = fingerprint_search_sql("%s")
        args = (org_id, pattern, pattern, pattern, pattern, limit)
        return [row_to_event(r) for r in self._rows(sql, args)]

    @_translated
    def payloads_to_mask(
        self, org_id: str, after_seq: int, limit: int, *, with_secret_types: bool = True
    ) -> list[StoredPayload]:
        sql = payloads_to_mask_sql("%s", with_secret_types)
        return [stored_payload(r) for r in self._rows(sql, (org_id, after_seq, limit))]

    @_translated
    def mask_payloads(
        self, org_id: str, masks: Sequence[PayloadMask], *, actor: str = UNKNOWN_ACTOR
    ) -> int:
        """Mask the payloads and chain the record of it, in one transaction (store/chain.py
        says how `verify` checks them); the old row versions are then vacuumed, as after an
        erasure."""
        if not masks:
            return 0
        policy = self.get_policy(org_id)
        with self._pool.connection() as conn, conn.transaction():
            head = self._lock_head(conn, org_id)
            now = conn.execute(
                current_payloads_sql("%s", len(masks), " FOR UPDATE"),
                (org_id, *(m.seq for m in masks)),
            ).fetchall()
            kept = unchanged(masks, now)
            if not kept:
                return 0
            record = masking_record(kept, actor, policy)
            seq = self._chain_record(conn, org_id, record, head)
            with conn.cursor() as cur:
                cur.executemany(
                    mask_update_sql("%s"), [mask_update_args(m, seq, org_id) for m in kept]
                )
        self._vacuum.request()
        return len(kept)

    def vacuum_now(self) -> None:
        """VACUUM `events`: the row versions an erasure left stop being tuples (their space is
        free for reuse; the bytes stay until reused, see docs/postgres.md)."""
        with self._pool.connection() as conn:
            conn.execute("VACUUM events")

    def wait_for_vacuum(self, timeout: float = 60.0) -> bool:
        """Wait until no vacuum is due or running (tests, and `agentaudit purge`)."""
        return self._vacuum.wait(timeout)

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
        transaction. The chain head is locked first (as every append does), then the request's
        row: of two processes deciding it at once, the second finds it decided."""
        verdict = checked_decision(decision)
        policy = self.get_policy(org_id)
        with self._pool.connection() as conn, conn.transaction():
            head = self._lock_head(conn, org_id)
            row = conn.execute(
                f"SELECT {APPROVAL_COLUMNS} FROM approvals WHERE org_id = %s AND id = %s"
                " FOR UPDATE",
                (org_id, approval_id),
            ).fetchone()
            if row is None:
                raise ApprovalNotFound(approval_id)
            now = now_ms()
            current = row_to_approval(row, now)
            if current.final:
                raise ApprovalClosed(current)
            record = outcome_record(current, verdict, approver, comment, now, policy)
            self._chain_record(conn, org_id, record, head)
            n = conn.execute(
                decide_sql("%s"),
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
            if n != 1:  # cannot happen under the row lock; never chain an outcome that did not
                raise ApprovalClosed(current)
        decided = self.get_approval(org_id, approval_id)
        assert decided is not None
        return decided

    @_translated
    def verify(self, org_id: str, checkpoints: Sequence[Checkpoint] | None = None) -> VerifyResult:
        with self._pool.connection() as conn:

            def run(sql: str, params: list[Any]) -> list[tuple]:
                return conn.execute(sql, params).fetchall()

            return verify_chain(run, org_id, "%s", checkpoints)

    # -- signed checkpoints (store/checkpoint.py) ---------------------------------------------
    @_translated
    def add_checkpoints(self, checkpoints: Sequence[Checkpoint]) -> list[Checkpoint]:
        """Store checkpoints; one already stored (same org, seq and key: another server
        process signed the same head) is left as it is. Returns those stored now."""
        if not checkpoints:
            return []
        sql = ADD_CHECKPOINT_SQL.format(p="%s")
        with self._pool.connection() as conn, conn.transaction():
            return [c for c in checkpoints if conn.execute(sql, astuple(c)).rowcount == 1]

    @_translated
    def list_checkpoints(
        self, org_id: str, after_seq: int = 0, limit: int | None = None
    ) -> list[Checkpoint]:
        return read_checkpoints(self._rows, org_id, "%s", after_seq, limit)

    @_translated
    def chain_rows(
        self, org_id: str, after_seq: int, upto_seq: int, limit: int = 2000
    ) -> list[ChainRow]:
        return read_chain_rows(self._rows, org_id, "%s", after_seq, upto_seq, limit)

    @_translated
    def heads_to_sign(self) -> list[Head]:
        return heads(self._rows(HEADS_TO_SIGN_SQL))


class _Vacuum:
    """VACUUM `events` in a background thread after erasures: at most one at a time, and one
    more if erasures came while it ran. A failure is logged, never raised (autovacuum will do it
    later; the erasure itself is committed)."""

    def __init__(self, store: PostgresStore) -> None:
        self._store = store
        self._cond = threading.Condition()
        self._due = False
        self._running = False
        self._closed = False
        self._thread: threading.Thread | None = None

    def request(self) -> None:
        with self._cond:
            if self._closed:
                return
            self._due = True
            if self._thread is None:
                self._thread = threading.Thread(
                    target=self._run, name="agentaudit-vacuum", daemon=True
                )
                self._thread.start()
            self._cond.notify_all()

    def _run(self) -> None:
        while True:
            with self._cond:
                while not self._due and not self._closed:
                    self._cond.wait()
                if not self._due:
                    return
                self._due, self._running = False, True
            try:
                self._store.vacuum_now()
            except Exception as exc:  # autovacuum remains; the erasure is committed
                log.warning("agentaudit: VACUUM of events after an erasure failed: %s", exc)
            finally:
                with self._cond:
                    self._running = False
                    self._cond.notify_all()

    def wait(self, timeout: float) -> bool:
        with self._cond:
            return self._cond.wait_for(lambda: not self._due and not self._running, timeout)

    def close(self) -> None:
        with self._cond:
            self._closed = True
            self._cond.notify_all()
            thread = self._thread
        if thread is not None:
            thread.join(timeout=60)
