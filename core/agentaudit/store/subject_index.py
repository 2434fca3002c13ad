"""The data-subject index in the store (migration 0027): keyed hashes of the identifiers found
in stored calls, each with its PII type and its event's seq (agentaudit/subjects.py makes the
hashes; the store never sees a value).

Rows are written with their events, in the append's transaction (`ChainedBatch.subjects`). A
subject erasure erases the payloads of the events a value's rows point to and deletes those
rows, in one transaction per SUBJECT_CHUNK events, each with its chained erasure record. Rows
of events erased otherwise (one event, a purge) stay, and a search marks those events erased.

A store that mixes `SubjectIndexMixin` in provides `_rows(sql, args)`, `_write(sql, args)`
and `_placeholder`, and implements `erase_subjects` in its own transaction style.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol, runtime_checkable

from agentaudit.models import Event, Policy
from agentaudit.store._sql import EVENT_COLUMNS, parse_z, row_to_event

SUBJECT_ACTION = "erase_subject"  # the action of a subject erasure's chained record
SUBJECT_CHUNK = 1000  # events erased per transaction (and listed per record)
_INSERT_CHUNK = 1000  # rows per INSERT of a backfill
SUBJECT_COLUMNS = "org_id, value_hash, pii_type, seq"


@dataclass(frozen=True)
class SubjectRow:
    """An event a value's hash points to, with the types it was found as there."""

    id: str
    seq: int
    created_at: datetime
    agent_id: str
    action: str
    pii_types: list[str]
    erased: bool


@dataclass
class SubjectErased:
    """What a subject erasure did: the events erased now (seq order), those erased before,
    and the chained erasure records (ids)."""

    event_ids: list[str] = field(default_factory=list)
    already_erased: int = 0
    records: list[str] = field(default_factory=list)


@runtime_checkable
class SubjectIndex(Protocol):
    """What data-subject requests need of a store (SQLiteStore and PostgresStore have it)."""

    def get_policy(self, org_id: str) -> Policy: ...
    def fingerprint_key(self, org_id: str) -> bytes: ...
    def find_subjects(
        self, org_id: str, hashes: Sequence[str], limit: int, offset: int
    ) -> tuple[int, list[SubjectRow]]:
        """How many events the hashes point to, and a page of them in seq order."""
        ...

    def erase_subjects(self, org_id: str, hashes: Sequence[str], *, actor: str) -> SubjectErased:
        """Erase the payloads the hashes point to, chain the records, delete the rows."""
        ...

    def payloads_to_index(self, org_id: str, after_seq: int, limit: int) -> list[tuple[int, Event]]:
        """Stored calls after `after_seq` whose payload is not erased, in seq order."""
        ...

    def add_subjects(self, org_id: str, rows: Sequence[tuple[str, str, int]]) -> int:
        """Add (hash, type, seq) rows, skipping those already there; returns how many added."""
        ...


def insert_subjects_sql(p: str) -> str:
    """One row per statement (SQLite's executemany); a row already there is skipped."""
    return (
        f"INSERT INTO subject_index ({SUBJECT_COLUMNS}) VALUES ({p}, {p}, {p}, {p})"
        " ON CONFLICT DO NOTHING"
    )


def _in(p: str, n: int) -> str:
    return "(" + ", ".join([p] * n) + ")"


def chunk_sql(p: str, n_hashes: int, lock: str = "") -> str:
    """The next SUBJECT_CHUNK events a value's rows point to (args: org, *hashes, limit):
    seq, id, kind, whether erased."""
    return (
        "SELECT e.seq, e.id, e.kind, e.erased_at IS NOT NULL FROM events e WHERE e.org_id = "
        f"{p} AND e.seq IN (SELECT s.seq FROM subject_index s WHERE s.org_id = e.org_id AND"
        f" s.value_hash IN {_in(p, n_hashes)}) ORDER BY e.seq LIMIT {p}{lock}"
    )


def delete_rows_sql(p: str, n_hashes: int, n_seqs: int) -> str:
    """Args: org, *hashes, *seqs."""
    return (
        f"DELETE FROM subject_index WHERE org_id = {p} AND value_hash IN {_in(p, n_hashes)}"
        f" AND seq IN {_in(p, n_seqs)}"
    )


def erase_rows_sql(p: str, n_seqs: int, erase_set: str) -> str:
    """Args: erased_at, erased_by, org, *seqs."""
    return (
        f"UPDATE events SET {erase_set}, erased_at = {p}, erased_by = {p}"
        f" WHERE org_id = {p} AND seq IN {_in(p, n_seqs)} AND erased_at IS NULL"
    )


def record_data(event_ids: list[str], seqs: list[int]) -> dict[str, Any]:
    """What a subject erasure's record says: which events, how many. Not the value, nor its
    hash: the record is never erased, and must not keep pointing at the person."""
    return {"count": len(event_ids), "event_ids": event_ids, "seqs": seqs, "request": "subject"}


class SubjectIndexMixin:
    """The index's reads and the backfill's writes, shared by the SQL stores."""

    _placeholder: str

    def _rows(self, sql: str, args: Sequence[Any] = ()) -> list[tuple]:
        raise NotImplementedError

    def _write(self, sql: str, args: Sequence[Any] = ()) -> int:
        raise NotImplementedError

    def find_subjects(
        self, org_id: str, hashes: Sequence[str], limit: int, offset: int
    ) -> tuple[int, list[SubjectRow]]:
        if not hashes:
            return 0, []
        p = self._placeholder
        where = f"org_id = {p} AND value_hash IN {_in(p, len(hashes))}"
        total = int(
            self._rows(
                f"SELECT count(DISTINCT seq) FROM subject_index WHERE {where}", [org_id, *hashes]
            )[0][0]
        )
        seqs = [
            int(r[0])
            for r in self._rows(
                f"SELECT DISTINCT seq FROM subject_index WHERE {where} ORDER BY seq"
                f" LIMIT {p} OFFSET {p}",
                [org_id, *hashes, limit, offset],
            )
        ]
        if not seqs:
            return total, []
        types: dict[int, set[str]] = {}
        for seq, typ in self._rows(
            f"SELECT seq, pii_type FROM subject_index WHERE {where} AND seq IN {_in(p, len(seqs))}",
            [org_id, *hashes, *seqs],
        ):
            types.setdefault(int(seq), set()).add(str(typ))
        rows = self._rows(
            "SELECT seq, id, created_at, agent_id, action, erased_at FROM events"
            f" WHERE org_id = {p} AND seq IN {_in(p, len(seqs))} ORDER BY seq",
            [org_id, *seqs],
        )
        return total, [
            SubjectRow(
                str(r[1]),
                int(r[0]),
                parse_z(r[2]),
                str(r[3]),
                str(r[4]),
                sorted(types.get(int(r[0]), ())),
                r[5] is not None,
            )
            for r in rows
        ]

    def payloads_to_index(self, org_id: str, after_seq: int, limit: int) -> list[tuple[int, Event]]:
        p = self._placeholder
        rows = self._rows(
            f"SELECT {EVENT_COLUMNS} FROM events WHERE org_id = {p} AND seq > {p}"
            f" AND kind = 'call' AND erased_at IS NULL ORDER BY seq LIMIT {p}",
            [org_id, after_seq, limit],
        )
        return [(int(r[2]), row_to_event(r)) for r in rows]

    def add_subjects(self, org_id: str, rows: Sequence[tuple[str, str, int]]) -> int:
        p = self._placeholder
        added = 0
        for i in range(0, len(rows), _INSERT_CHUNK):
            chunk = rows[i : i + _INSERT_CHUNK]
            values = ", ".join([f"({p}, {p}, {p}, {p})"] * len(chunk))
            args = [x for h, t, seq in chunk for x in (org_id, h, t, seq)]
            added += self._write(
                f"INSERT INTO subject_index ({SUBJECT_COLUMNS}) VALUES {values}"
                " ON CONFLICT DO NOTHING",
                args,
            )
        return added
