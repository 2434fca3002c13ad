"""Provenance sessions in PostgreSQL (migration 0029; provenance/shared.py makes the hashes):
the statements, and the mixin PostgresStore runs them with.

Every method holds a pooled connection for one or two autocommitted statements; the writes do
not wait for the disk (`UNSYNCED`). The call path runs one
statement (`LOOKUP_SQL`, an index probe per hash); a result's values go in with one
INSERT … ON CONFLICT from arrays; the session is counted (the first time a process writes to it,
then after every eighth of its limit that process added) and cut to its limit per kind when it is
over it, so it exceeds the limit by at most an eighth of it (16 values at least) per writing
process between cuts; expired rows are swept by a writer at most every SWEEP_SECONDS per process.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Mapping, Sequence
from typing import Any

from psycopg_pool import ConnectionPool

SWEEP_SECONDS = 60.0  # a process sweeps expired rows at most this often
SWEEP_ROWS = 10_000  # rows per sweep statement (the rest go next time)
MAX_TRACKED = 10_000  # sessions whose writes since their last count a process keeps

# One primary-key lookup per hash whatever the planner believes of the table: with few or stale
# statistics it reads `value_hash = ANY(…)`, or a join on it, as a filter over the whole
# session; a LATERAL subquery kept apart by OFFSET 0 is always an index probe per hash.
LOOKUP_SQL = (
    "SELECT p.value_hash, p.kind, p.at, p.event_id, p.tool, p.correspondent, p.instructed "
    "FROM unnest(%s::bigint[]) AS h(v), LATERAL (SELECT * FROM provenance_values "
    "WHERE org_id = %s AND session_hash = %s::bigint AND value_hash = h.v OFFSET 0) AS p "
    "WHERE p.at >= %s::float8"
)
# A session's memory is a cache that expires: its writes do not wait for the WAL to reach the
# disk (a crash may lose the last ones; events stay synchronous, in their own transactions). The
# setting is made inside the statement, for its own transaction: one round trip.
UNSYNCED = "(SELECT set_config('synchronous_commit', 'off', true)) AS unsynced(setting)"
TAKE_SQL = (
    f"DELETE FROM provenance_values USING {UNSYNCED} WHERE org_id = %s "
    "AND session_hash = %s::bigint AND value_hash = %s::bigint AND kind = 3 RETURNING at"
)
PUT_SQL = (
    "INSERT INTO provenance_values AS p (org_id, session_hash, value_hash, kind, at, "
    "expires_at, event_id, tool, correspondent, instructed) "
    "SELECT %s, %s::bigint, v, k, a, x, e, t, c, i FROM unnest(%s::bigint[], %s::smallint[], "
    "%s::float8[], %s::float8[], %s::text[], %s::text[], %s::boolean[], %s::boolean[]) "
    f"AS u(v, k, a, x, e, t, c, i), {UNSYNCED} "
    "ON CONFLICT (org_id, session_hash, value_hash, kind) DO UPDATE SET at = excluded.at, "
    "expires_at = excluded.expires_at, event_id = excluded.event_id, tool = excluded.tool, "
    "correspondent = excluded.correspondent, instructed = excluded.instructed "
    # a value a message's body planted stays planted when it is seen again as a sender
    "WHERE NOT (excluded.correspondent AND NOT p.correspondent)"
)
COUNT_SQL = (
    "SELECT kind, count(*) FROM provenance_values WHERE org_id = %s AND session_hash = %s::bigint "
    "AND kind = ANY(%s::smallint[]) GROUP BY kind"
)
TRIM_SQL = (
    f"DELETE FROM provenance_values USING {UNSYNCED} WHERE org_id = %s "
    "AND session_hash = %s::bigint "
    "AND kind = %s::smallint AND value_hash IN (SELECT value_hash FROM provenance_values "
    "WHERE org_id = %s AND session_hash = %s::bigint AND kind = %s::smallint "
    "ORDER BY at DESC, value_hash OFFSET %s)"
)
SWEEP_SQL = (
    f"DELETE FROM provenance_values USING {UNSYNCED} WHERE ctid IN (SELECT ctid "
    "FROM provenance_values "
    "WHERE expires_at < %s::float8 LIMIT %s)"
)


class ProvenanceTableMixin:
    """`ProvenanceTable` (provenance/shared.py) for a store with a psycopg pool `_pool`.
    The store wraps each method to answer `StoreUnavailable` for what passes."""

    SHARES_SESSIONS_BY_DEFAULT = True  # several server processes on one database is the norm
    _pool: ConnectionPool
    _provenance_swept = 0.0
    _provenance_lock = threading.Lock()
    # rows this process added to each session since it last counted it (bounded)
    _provenance_written: dict[tuple[str, int], int] | None = None

    def provenance_rows(
        self, org_id: str, session: int, hashes: Sequence[int], since: float
    ) -> list[Any]:
        with self._pool.connection() as conn:
            return conn.execute(LOOKUP_SQL, (list(hashes), org_id, session, since)).fetchall()

    def provenance_take(self, org_id: str, session: int, value_hash: int, since: float) -> bool:
        with self._pool.connection() as conn:
            row = conn.execute(TAKE_SQL, (org_id, session, value_hash)).fetchone()
        return row is not None and row[0] >= since

    def provenance_put(
        self,
        org_id: str,
        session: int,
        rows: Sequence[tuple[Any, ...]],
        limits: Mapping[int, int],
        now: float,
    ) -> None:
        columns = [list(c) for c in zip(*rows, strict=True)] if rows else [[]] * 8
        with self._pool.connection() as conn:  # autocommit: each statement stands alone
            conn.execute(PUT_SQL, (org_id, session, *columns))
            if limits and self._count_due((org_id, session), len(rows), min(limits.values())):
                counts = conn.execute(COUNT_SQL, (org_id, session, list(limits))).fetchall()
                for kind, count in counts:
                    if count > limits[kind]:
                        args = (org_id, session, kind)
                        conn.execute(TRIM_SQL, (*args, *args, limits[kind]))
        self._sweep(now)

    def _count_due(self, session: tuple[str, int], added: int, limit: int) -> bool:
        """Whether to count the session now: the first time this process writes to it, then
        once it has added an eighth of the limit since (so a session is over its limit by at
        most that much per writing process between cuts, and a write seldom pays the count)."""
        with self._provenance_lock:
            written = self._provenance_written
            if written is None:
                written = self._provenance_written = {}
            before = written.get(session)
            total = added + (before or 0)
            due = before is None or total >= max(16, limit // 8)
            if len(written) >= MAX_TRACKED and session not in written:
                written.clear()
            written[session] = 0 if due else total
            return due

    def _sweep(self, now: float) -> None:
        """Delete expired rows, at most every SWEEP_SECONDS (monotonic) in this process."""
        due = time.monotonic()
        with self._provenance_lock:
            if due - self._provenance_swept < SWEEP_SECONDS:
                return
            self._provenance_swept = due
        with self._pool.connection() as conn:
            conn.execute(SWEEP_SQL, (now, SWEEP_ROWS))
