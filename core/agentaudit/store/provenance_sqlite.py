"""Provenance sessions in SQLite (migration 0029's table; provenance/shared.py makes the hashes).

For processes that share one SQLite file and must share what a session read: the coding-agent
hook (a process per tool call: the result one process saw steers the call the next one judges)
and a server running several workers on one file. An embedded client or a single server process
keeps its sessions in memory, which is faster: `sessions_table` (service.py) chooses, and
SQLite's default is memory (`SHARES_SESSIONS_BY_DEFAULT`).

Writes are one short transaction each (the values, then the session cut to its limits, then now
and then a sweep of expired rows); a call is judged with one indexed read.
"""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Iterator, Mapping, Sequence
from contextlib import AbstractContextManager
from typing import Any

SWEEP_SECONDS = 60.0  # a process sweeps expired rows at most this often
SWEEP_ROWS = 10_000  # rows per sweep (the rest go next time)
_CHUNK = 500  # value hashes per lookup statement (SQLite bounds a statement's parameters)

_COLUMNS = "value_hash, kind, at, event_id, tool, correspondent, instructed"
_PUT_SQL = (
    "INSERT INTO provenance_values AS p (org_id, session_hash, value_hash, kind, at, "
    "expires_at, event_id, tool, correspondent, instructed) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
    "ON CONFLICT (org_id, session_hash, value_hash, kind) DO UPDATE SET at = excluded.at, "
    "expires_at = excluded.expires_at, event_id = excluded.event_id, tool = excluded.tool, "
    "correspondent = excluded.correspondent, instructed = excluded.instructed "
    # a value a message's body planted stays planted when it is seen again as a sender
    "WHERE NOT (excluded.correspondent AND NOT p.correspondent)"
)
_TAKE_SQL = (
    "DELETE FROM provenance_values WHERE org_id = ? AND session_hash = ? AND value_hash = ? "
    "AND kind = 3 RETURNING at"
)
_COUNT_SQL = (
    "SELECT kind, count(*) FROM provenance_values WHERE org_id = ? AND session_hash = ? "
    "GROUP BY kind"
)
_TRIM_SQL = (
    "DELETE FROM provenance_values WHERE org_id = ? AND session_hash = ? AND kind = ? "
    "AND value_hash IN (SELECT value_hash FROM provenance_values WHERE org_id = ? "
    "AND session_hash = ? AND kind = ? ORDER BY at DESC, value_hash LIMIT -1 OFFSET ?)"
)
_SWEEP_SQL = (
    "DELETE FROM provenance_values WHERE (org_id, session_hash, value_hash, kind) IN "
    "(SELECT org_id, session_hash, value_hash, kind FROM provenance_values "
    "WHERE expires_at < ? LIMIT ?)"
)


class SQLiteProvenanceMixin:
    """`ProvenanceTable` (provenance/shared.py) for `SQLiteStore`: its connection per thread
    (`_conn`) and its write transaction (`_transaction`)."""

    SHARES_SESSIONS_BY_DEFAULT = False
    _provenance_swept = 0.0
    _provenance_lock = threading.Lock()

    @property
    def _conn(self) -> sqlite3.Connection:
        raise NotImplementedError

    def _transaction(self) -> AbstractContextManager[sqlite3.Connection]:
        raise NotImplementedError

    def provenance_rows(
        self, org_id: str, session: int, hashes: Sequence[int], since: float
    ) -> list[Any]:
        found: list[Any] = []
        for chunk in _chunks(list(hashes)):
            marks = ", ".join("?" * len(chunk))
            sql = (
                f"SELECT {_COLUMNS} FROM provenance_values WHERE org_id = ? AND session_hash = ?"
                f" AND value_hash IN ({marks}) AND at >= ?"
            )
            rows = self._conn.execute(sql, (org_id, session, *chunk, since)).fetchall()
            found += [(h, k, at, e, t, bool(c), bool(i)) for h, k, at, e, t, c, i in rows]
        return found

    def provenance_take(self, org_id: str, session: int, value_hash: int, since: float) -> bool:
        with self._transaction() as conn:
            row = conn.execute(_TAKE_SQL, (org_id, session, value_hash)).fetchone()
        return row is not None and row[0] >= since

    def provenance_put(
        self,
        org_id: str,
        session: int,
        rows: Sequence[tuple[Any, ...]],
        limits: Mapping[int, int],
        now: float,
    ) -> None:
        sweep = self._sweep_due()
        with self._transaction() as conn:
            conn.executemany(_PUT_SQL, [(org_id, session, *row) for row in rows])
            for kind, count in conn.execute(_COUNT_SQL, (org_id, session)).fetchall():
                limit = limits.get(kind)
                if limit is not None and count > limit:
                    args = (org_id, session, kind)
                    conn.execute(_TRIM_SQL, (*args, *args, limit))
            if sweep:
                conn.execute(_SWEEP_SQL, (now, SWEEP_ROWS))

    def _sweep_due(self) -> bool:
        """Whether this write sweeps expired rows: at most every SWEEP_SECONDS per process."""
        due = time.monotonic()
        with self._provenance_lock:
            if due - self._provenance_swept < SWEEP_SECONDS:
                return False
            self._provenance_swept = due
            return True


def _chunks(values: list[int]) -> Iterator[list[int]]:
    for start in range(0, len(values), _CHUNK):
        yield values[start : start + _CHUNK]
