"""Reads the dashboard needs that the EventStore protocol does not offer (yet).

TEMPORARY: these run SQL through the stores' private query helpers (`SQLiteStore._run`,
`PostgresStore._rows`) on the shared schema. They belong in the stores as methods
(`chain_place`, `list_events` with a PII or secret type, `daily_counts`, `pii_type_counts`,
`secret_type_counts`); until then this is the one module that knows about it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from agentaudit.models import EventFilter, EventPage, _utc_z
from agentaudit.store import EventStore
from agentaudit.store._sql import (
    COMBINED,
    EVENT_COLUMNS,
    WITH_SECRETS,
    chain_row,
    filter_sql,
    page_filter_sql,
    row_to_event,
)
from agentaudit.store.chain import GENESIS, ChainVerifier

Run = Callable[[str, list[Any]], list[tuple]]


def _runner(store: EventStore) -> tuple[Run, str]:
    """A query function and the placeholder of `store`'s driver."""
    run = getattr(store, "_run", None)
    if run is not None:  # SQLiteStore
        return run, "?"
    rows = getattr(store, "_rows", None)
    if rows is not None:  # PostgresStore
        return (lambda sql, args: rows(sql, args)), "%s"
    raise TypeError(f"the dashboard cannot query a {type(store).__name__}")


# -- the event's place in the hash chain ---------------------------------------------------------
@dataclass(frozen=True)
class ChainPlace:
    seq: int
    prev_hash: str
    hash: str
    payload_digest: str
    erased: bool
    prev_id: str | None
    next_id: str | None
    head_seq: int
    link_ok: bool  # this event's own link: seq, prev_hash, payload digest and hash recomputed
    link_error: str | None
    chain_version: int = 1  # 2: the fired rules were stored with the event (schema 0007 on)
    erased_by: tuple[int, str] | None = None  # (seq, id) of the record of its erasure
    masked_by: tuple[int, str] | None = None  # (seq, id) of the record of masking its secrets


def chain_place(store: EventStore, org_id: str, event_id: str) -> ChainPlace | None:
    """Where `event_id` sits in its organisation's chain, with its own link checked."""
    run, p = _runner(store)
    rows = run(
        f"SELECT {EVENT_COLUMNS} FROM events WHERE org_id = {p} AND id = {p}", [org_id, event_id]
    )
    if not rows:
        return None
    row = chain_row(rows[0])
    seq = int(row.fields["seq"])
    near = run(
        f"SELECT seq, id, hash FROM events WHERE org_id = {p} AND seq IN ({p}, {p})",
        [org_id, seq - 1, seq + 1],
    )
    by_seq = {int(s): (i, h) for s, i, h in near}
    head = run(f"SELECT seq FROM chain_heads WHERE org_id = {p}", [org_id])

    def record(seq: int | None) -> tuple[int, str] | None:
        if seq is None:
            return None
        found = run(f"SELECT seq, id FROM events WHERE org_id = {p} AND seq = {p}", [org_id, seq])
        return (int(found[0][0]), found[0][1]) if found else (seq, "")

    erased_by, masked_by = record(row.erased_by), record(row.masked_by)
    verifier = ChainVerifier(check_erasures=False)  # a record's count needs the whole chain
    verifier.expected_seq = seq
    if seq > 1:
        verifier.prev_hash = by_seq[seq - 1][1] if seq - 1 in by_seq else "(missing)"
    else:
        verifier.prev_hash = GENESIS
    ok = verifier.feed(row)
    return ChainPlace(
        seq=seq,
        prev_hash=row.fields["prev_hash"],
        hash=row.hash,
        payload_digest=row.fields["payload_digest"],
        erased=row.erased,
        prev_id=by_seq[seq - 1][0] if seq - 1 in by_seq else None,
        next_id=by_seq[seq + 1][0] if seq + 1 in by_seq else None,
        head_seq=int(head[0][0]) if head else 0,
        link_ok=ok,
        link_error=None if ok or verifier.failure is None else verifier.failure.error,
        chain_version=row.version,
        erased_by=erased_by,
        masked_by=masked_by,
    )


# -- the timeline filtered by a PII type ---------------------------------------------------------
def _like_token(value: str) -> str:
    """A LIKE pattern matching the JSON string `"value"` inside a canonical JSON list."""
    escaped = value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f'%"{escaped}"%'


def list_events_with_pii(
    store: EventStore, org_id: str, flt: EventFilter, pii_type: str
) -> EventPage:
    """`list_events` restricted to events whose `pii_fields` contain `pii_type`."""
    return list_events_with_types(store, org_id, flt, pii_type=pii_type)


def list_events_with_types(
    store: EventStore,
    org_id: str,
    flt: EventFilter,
    *,
    pii_type: str | None = None,
    secret_type: str | None = None,
) -> EventPage:
    """`list_events` restricted to events whose `pii_fields` contain `pii_type` and whose
    `secret_fields` contain `secret_type` (each when given). Events with a secret type are
    found through the partial index of migration 0024 (WITH_SECRETS, repeated word for word)."""
    run, p = _runner(store)
    if pii_type is not None:
        flt = flt.model_copy(update={"pii_detected": True})
    where, args = filter_sql(org_id, flt, p)
    if pii_type is not None:
        where += f" AND pii_fields LIKE {p} ESCAPE '\\'"
        args.append(_like_token(pii_type))
    if secret_type is not None:
        where += f" AND {WITH_SECRETS} AND secret_fields LIKE {p} ESCAPE '\\'"
        args.append(_like_token(secret_type))
    rows = run(
        f"SELECT {EVENT_COLUMNS} FROM events WHERE {where} ORDER BY seq DESC LIMIT {p} OFFSET {p}",
        [*args, flt.limit, flt.offset],
    )
    total = int(run(f"SELECT count(*) FROM events WHERE {where}", args)[0][0])
    return EventPage(
        events=[row_to_event(r) for r in rows], total=total, limit=flt.limit, offset=flt.offset
    )


# -- statistics --------------------------------------------------------------------------------
def daily_counts(
    store: EventStore, org_id: str, dim: str, first_day: str, end_day: str
) -> dict[str, dict[str, int]]:
    """{day: {value: n}} of risk_level, decision or pii_detected for whole UTC days
    [first_day, end_day) ("YYYY-MM-DD"), from the daily summary table (O(days × values), not
    O(events)): its "rdp" rows hold the three dimensions together."""
    index = COMBINED.index(dim)
    run, p = _runner(store)
    out: dict[str, dict[str, int]] = {}
    for day, value, n in run(
        f"SELECT day, value, n FROM event_counts WHERE org_id = {p} AND dim = {p}"
        f" AND day >= {p} AND day < {p}",
        [org_id, "rdp", first_day, end_day],
    ):
        bucket = out.setdefault(day, {})
        key = value.split("|")[index]
        bucket[key] = bucket.get(key, 0) + int(n)
    return out


def pii_type_counts(
    store: EventStore, org_id: str, after: datetime, before: datetime
) -> dict[str, int]:
    """How many events in [after, before) carried each PII type, largest first."""
    run, p = _runner(store)
    if p == "?":
        source = "events, json_each(events.pii_fields) AS t"
        value = "t.value"
    else:
        source = "events, jsonb_array_elements_text(events.pii_fields::jsonb) AS t(value)"
        value = "t.value"
    rows = run(
        f"SELECT {value}, count(*) FROM {source} WHERE events.org_id = {p}"
        f" AND events.pii_detected = {p} AND events.created_at >= {p} AND events.created_at < {p}"
        f" GROUP BY {value}",
        [org_id, True, _utc_z(after), _utc_z(before)],
    )
    return dict(sorted(((str(v), int(n)) for v, n in rows), key=lambda kv: (-kv[1], kv[0])))


def secret_type_counts(
    store: EventStore, org_id: str, after: datetime, before: datetime
) -> dict[str, int]:
    """How many events in [after, before) carried each secret type, largest first. Read
    through the partial index of events with secrets, within the seq range of those days."""
    run, p = _runner(store)
    where, args = page_filter_sql(run, org_id, EventFilter(after=after, before=before), p)
    if p == "?":
        source = "events, json_each(events.secret_fields) AS t"
    else:
        source = "events, jsonb_array_elements_text(events.secret_fields::jsonb) AS t(value)"
    rows = run(
        f"SELECT t.value, count(*) FROM {source} WHERE {where} AND {WITH_SECRETS} GROUP BY t.value",
        args,
    )
    return dict(sorted(((str(v), int(n)) for v, n in rows), key=lambda kv: (-kv[1], kv[0])))


# -- the API key a dashboard user signed in with ---------------------------------------------
def key_of_hash(store: EventStore, org_id: str, key_hash: str) -> tuple[str, str] | None:
    """(id, prefix) of the organisation's active key with this hash: who a signed-in dashboard
    user is (the policy's `approvers` name keys by id or prefix)."""
    run, p = _runner(store)
    rows = run(
        f"SELECT id, prefix FROM api_keys WHERE org_id = {p} AND key_hash = {p}"
        " AND revoked_at IS NULL",
        [org_id, key_hash],
    )
    return (str(rows[0][0]), str(rows[0][1])) if rows else None
