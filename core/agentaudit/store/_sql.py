"""What the SQL stores (SQLite, PostgreSQL) share: row mapping, chaining, filters, counts.

Both stores hold the same schema and the same text in every column, so one set of helpers turns
rows into events and events into rows; only the placeholder (`?` or `%s`) differs.
"""

from __future__ import annotations

import functools
import hashlib
import itertools
import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any, NamedTuple, overload

from agentaudit.models import (
    Decision,
    Event,
    EventFilter,
    EventKind,
    RiskLevel,
    RuleMatch,
    Stats,
    _utc_z,
)
from agentaudit.policy import override_of_reason
from agentaudit.secret_mask import PLACEHOLDER_MARK, masked_paths
from agentaudit.store.base import IdempotencyConflict, PayloadMask, StoredPayload
from agentaudit.store.chain import (
    CHAIN_VERSION,
    GENESIS,
    ChainRow,
    ChainVerifier,
    VerifyResult,
    canonical,
    canonical_text,
    chained_names,
    payload_digest_of_text,
)
from agentaudit.store.checkpoint import Checkpoint


class EventRow(NamedTuple):
    """The events table's map: a stored event's columns in the order every SELECT reads them.

    Statements (`EVENT_COLUMNS`), row readers (`row_to_event`, `chain_row`) and the chain's
    field names (store/chain.py: every chained field is a column of this name) all follow it.
    """

    id: str
    org_id: str
    seq: int
    agent_id: str
    action: str
    created_at: str
    data: str | None
    context: str | None
    reasoning: str | None
    risk_level: str
    pii_detected: Any  # 0/1 in SQLite, bool in PostgreSQL
    pii_fields: str
    secret_fields: str
    frameworks: str
    decision: str
    reason: str
    payload_digest: str
    prev_hash: str
    hash: str
    erased_at: str | None
    chain_version: int | None
    kind: str
    rules: str | None
    evidence: str | None
    partial_scan: Any
    erased_by: int | None
    masked_by: int | None
    masked_digest: str | None
    policy_version: int | None


EVENT_COLUMNS = ", ".join(EventRow._fields)
_ROW_WIDTH = len(EventRow._fields)
_tuple_new: Any = tuple.__new__


def _event_row(row: Sequence[Any]) -> EventRow:
    """The first `EVENT_COLUMNS` of a row, by name (`_make` without its lookup: reads are hot)."""
    return _tuple_new(EventRow, row[:_ROW_WIDTH])


# What an append writes, in the order `chain_prepared` builds its rows: the event's id, org and
# seq, `PreparedEvent.columns` (agent_id … payload_digest), prev_hash, hash, the idempotency key,
# then `PreparedEvent.extra` (chain_version … policy_version).
INSERT_ROW = (
    "id", "org_id", "seq",
    "agent_id", "action", "session_id", "created_at", "data", "context", "reasoning",
    "risk_level", "pii_detected", "pii_fields", "secret_fields", "frameworks", "decision",
    "reason", "payload_digest",
    "prev_hash", "hash", "idempotency_key",
    "chain_version", "kind", "rules", "evidence", "partial_scan", "idempotency_digest",
    "policy_version",
)  # fmt: skip
INSERT_COLUMNS = ", ".join(INSERT_ROW)
INSERT_COUNT = len(INSERT_ROW)
# The columns that are not text, by their PostgreSQL type (an append's typed arrays).
COLUMN_TYPES = {
    "seq": "bigint",
    "pii_detected": "boolean",
    "chain_version": "smallint",
    "partial_scan": "boolean",
    "policy_version": "integer",
}
# What erasing a payload sets (then: erased_at, erased_by), in every store and every path.
ERASE_SET = "data = NULL, context = NULL, reasoning = NULL, evidence = NULL"
# The dimensions that `Stats` counts.
COUNT_DIMENSIONS = ("risk_level", "action", "agent_id", "decision", "pii_detected")
# `event_counts` (migrations 0002, 0004, 0005): per org × day, how many events had each
# combination of the small dimensions, alone (dim "rdp", value "low|allow|false") or followed by
# the agent ("agent_rdp": "low|allow|false|agent-7") or the action ("action_rdp"). Any one
# dimension's count is a sum of these, and so is a total over several filters: O(days).
COMBINED = ("risk_level", "decision", "pii_detected")
NAMED_DIMS = {"agent_id": "agent_rdp", "action": "action_rdp"}
COMBINED_VALUES = {
    "risk_level": tuple(str(r) for r in RiskLevel),
    "decision": tuple(str(d) for d in Decision),
    "pii_detected": ("true", "false"),
}
_MIDNIGHT = "T00:00:00.000Z"


def active_keys_sql(placeholder: str, count: int) -> str:
    """How many of `count` key hashes are active keys of an organisation (args: org, *hashes)."""
    p = placeholder
    return (
        f"SELECT count(*) FROM api_keys WHERE org_id = {p} AND revoked_at IS NULL"
        f" AND key_hash IN ({', '.join([p] * count)})"
    )


def insert_events_sql(placeholder: str) -> str:
    values = ",".join([placeholder] * INSERT_COUNT)
    return f"INSERT INTO events ({INSERT_COLUMNS}) VALUES ({values})"


COUNT_COLUMNS = "org_id, dim, value, day, n, min_seq, max_seq"


def counts_conflict_sql(least: str = "min", greatest: str = "max") -> str:
    """Add to a daily count and widen its seq range. `excluded` works in SQLite (3.24+) and
    PostgreSQL alike; the two-argument min/max are `least`/`greatest` in PostgreSQL."""
    return (
        " ON CONFLICT (org_id, dim, value, day) DO UPDATE SET n = event_counts.n + excluded.n,"
        f" min_seq = {least}(coalesce(event_counts.min_seq, excluded.min_seq), excluded.min_seq),"
        f" max_seq = {greatest}(coalesce(event_counts.max_seq, excluded.max_seq), excluded.max_seq)"
    )


def upsert_counts_sql(placeholder: str) -> str:
    """One count row per statement (SQLite's executemany)."""
    values = ",".join([placeholder] * 7)
    return f"INSERT INTO event_counts ({COUNT_COLUMNS}) VALUES ({values})" + counts_conflict_sql()


def page_filter_sql(run: Run, org_id: str, flt: EventFilter, p: str) -> tuple[str, list[Any]]:
    """`filter_sql` for a page of events. With a time range it is narrowed to the seq range
    holding every event of the range's days — the smallest and largest seq of their daily
    counts ("rdp": each event counted once) — so the index walk of a filtered page (say one
    agent, a week a month back) covers that week, not all of the agent's newer events. It never
    excludes a match."""
    where, args = filter_sql(org_id, flt, p)
    if flt.after is None and flt.before is None:
        return where, args
    clauses, bound_args = [f"org_id = {p}", "dim = 'rdp'"], [org_id]
    if flt.after is not None:
        clauses.append(f"day >= {p}")
        bound_args.append(_utc_z(flt.after)[:10])
    if flt.before is not None:
        clauses.append(f"day <= {p}")
        bound_args.append(_utc_z(flt.before)[:10])
    sql = f"SELECT min(min_seq), max(max_seq) FROM event_counts WHERE {' AND '.join(clauses)}"
    lo, hi = run(sql, bound_args)[0]
    bounds = [1, 0] if lo is None or hi is None else [int(lo), int(hi)]  # no event: none match
    return f"{where} AND seq >= {p} AND seq <= {p}", [*args, *bounds]


def dimension_value(dim: str, value: Any) -> str:
    """How a dimension's value is kept in `event_counts.value` (text for every dimension)."""
    if dim == "pii_detected":
        return "true" if value else "false"
    return str(value)


def now_z() -> str:
    return _utc_z(datetime.now(UTC))


def now_ms() -> datetime:
    """Now, at the millisecond precision stored, so a returned record equals its re-read."""
    now = datetime.now(UTC)
    return now.replace(microsecond=now.microsecond // 1000 * 1000)


@overload
def parse_z(text: str) -> datetime: ...
@overload
def parse_z(text: None) -> None: ...
@overload
def parse_z(text: str | None) -> datetime | None: ...
def parse_z(text: str | None) -> datetime | None:
    return None if text is None else datetime.fromisoformat(text.replace("Z", "+00:00"))


def session_id_of(context: dict[str, Any]) -> str | None:
    """The indexed session id; EventIn guarantees text of bounded length (models.py)."""
    value = context.get("session_id")
    return value if value is None or isinstance(value, str) else str(value)


@functools.lru_cache(maxsize=4096)
def _matches_of(rules: str, evidence: str | None) -> tuple[RuleMatch, ...]:
    levels = json.loads(rules)
    texts = json.loads(evidence) if evidence is not None else [""] * len(levels)
    return tuple(
        RuleMatch.model_construct(rule=rule, level=RiskLevel(level), evidence=text)
        for (rule, level), text in zip(levels, texts, strict=True)
    )


def row_to_event(row: Sequence[Any]) -> Event:
    """Build an `Event` from a row in `EVENT_COLUMNS` order (more columns may follow)."""
    r = _event_row(row)
    data, context, reasoning, evidence = r.data, r.context, r.reasoning, r.evidence
    if r.erased_at is not None:  # whatever the columns hold now, an erased payload is empty
        data = context = reasoning = evidence = None
    data_obj = json.loads(data) if data is not None else {}
    context_obj = json.loads(context) if context is not None else {}
    masked: list[str] = []
    if any(t is not None and PLACEHOLDER_MARK in t for t in (data, context, reasoning)):
        masked = masked_paths(data_obj, context_obj, reasoning)
    return Event.model_construct(
        id=r.id,
        agent_id=r.agent_id,
        action=r.action,
        data=data_obj,
        context=context_obj,
        reasoning=reasoning,
        risk_level=RiskLevel(r.risk_level),
        pii_detected=bool(r.pii_detected),
        pii_fields=json.loads(r.pii_fields),
        secret_fields=json.loads(r.secret_fields),
        frameworks=json.loads(r.frameworks),
        created_at=parse_z(r.created_at),
        stored=True,
        decision=Decision(r.decision),
        reason=r.reason,
        matches=list(_matches_of(r.rules, evidence)) if r.rules is not None else [],
        partial_scan=bool(r.partial_scan),
        kind=EventKind(r.kind),
        masked_fields=masked,
        policy_override=override_of_reason(r.reason),
        policy_version=r.policy_version,
    )


@functools.lru_cache(maxsize=4096)
def _names_text(names: tuple[str, ...]) -> str:
    """Canonical text of a type list; the same few lists recur, so they are encoded once."""
    return canonical(list(names))


@functools.lru_cache(maxsize=4096)
def _frameworks_text(items: tuple[tuple[str, tuple[str, ...]], ...]) -> str:
    return canonical({k: list(v) for k, v in items})


@functools.lru_cache(maxsize=4096)
def _rules_text(items: tuple[tuple[str, str], ...]) -> str:
    """Canonical text of the fired rules as [[id, level], …] (chained; no payload in it)."""
    return canonical([list(item) for item in items])


def rules_of(event: Event) -> tuple[str, str]:
    """The stored (rules, evidence) texts of an event's matches."""
    matches = event.matches
    rules = _rules_text(tuple((m.rule, str(m.level)) for m in matches))
    return rules, canonical([m.evidence for m in matches]) if matches else "[]"


def chain_fields(org_id: str, seq: int, prev_hash: str, event: Event, digest: str) -> dict:
    """The values that enter an event's hash (chain version 2), exactly as they are stored."""
    return {
        "chain_version": CHAIN_VERSION,
        "kind": str(event.kind),
        "partial_scan": bool(event.partial_scan),
        "rules": rules_of(event)[0],
        "org_id": org_id,
        "seq": seq,
        "prev_hash": prev_hash,
        "id": event.id,
        "agent_id": event.agent_id,
        "action": event.action,
        "created_at": _utc_z(event.created_at),
        "risk_level": str(event.risk_level),
        "pii_detected": bool(event.pii_detected),
        "pii_fields": _names_text(tuple(event.pii_fields)),
        "secret_fields": _names_text(tuple(event.secret_fields)),
        "frameworks": _frameworks_text(tuple((k, tuple(v)) for k, v in event.frameworks.items())),
        "decision": str(event.decision),
        "reason": event.reason,
        "payload_digest": digest,
        "policy_version": event.policy_version,
    }


def chain_row(r: Sequence[Any]) -> ChainRow:
    """A `ChainRow` from a row in `EVENT_COLUMNS` order, values exactly as stored: each chained
    field is the column of its name, as bool or int where the column's type differs by store."""
    row = _event_row(r)
    version = row.chain_version
    fields = {name: getattr(row, name) for name in chained_names(version)}
    fields["pii_detected"] = bool(row.pii_detected)
    if version is not None and int(version) >= 2:
        fields["chain_version"] = int(version)
        fields["partial_scan"] = bool(row.partial_scan)
        if int(version) >= 3:
            policy_version = row.policy_version
            fields["policy_version"] = None if policy_version is None else int(policy_version)

    def load(text: str | None) -> Any:
        return None if text is None else json.loads(text)

    return ChainRow(
        fields,
        row.hash,
        load(row.data),
        load(row.context),
        row.reasoning,
        row.erased_at is not None,
        load(row.evidence),
        None if row.erased_by is None else int(row.erased_by),
        None if row.masked_by is None else int(row.masked_by),
        row.masked_digest,
    )


@dataclass
class ChainedBatch:
    """Rows ready to insert, the summary increments they imply (org_id, dim, value, day, n,
    min_seq, max_seq), and the new chain head."""

    rows: list[tuple]
    counts: list[tuple]
    head_seq: int
    head_hash: str
    # data-subject index rows (org_id, value_hash, pii_type, seq): store/subject_index.py
    subjects: list[tuple] = field(default_factory=list)


@dataclass(slots=True)
class PreparedEvent:
    """An event encoded for storage except for its place in the chain (seq, prev_hash).

    Encoding is most of a store's work per event and needs no lock: stores prepare events
    before they take the chain head, so the head is held only to number and hash them.
    """

    event: Event
    key: str | None
    columns: tuple  # agent_id … payload_digest, in INSERT_COLUMNS order
    hash_head: str  # canonical text of the chained fields that sort before "prev_hash", open
    hash_tail: str  # those between "prev_hash" and "seq", without braces
    buckets: tuple[tuple[str, str, str, str], ...]  # (org_id, dim, value, day) it counts in
    extra: tuple  # chain_version … policy_version, in INSERT_COLUMNS order
    request_digest: str | None  # what the idempotency key was sent with (idempotency.py)
    subjects: tuple[tuple[str, str], ...] = ()  # (value hash, PII type): subjects.py


def prepare_event(
    org_id: str,
    event: Event,
    key: str | None,
    request_digest: str | None = None,
    subjects: tuple[tuple[str, str], ...] = (),
) -> PreparedEvent:
    data_text, context_text = canonical(event.data), canonical(event.context)
    reasoning, reason = event.reasoning, event.reason
    rules, evidence = rules_of(event)
    digest = payload_digest_of_text(data_text, context_text, reasoning, evidence)
    kind, partial = str(event.kind), bool(event.partial_scan)
    created_at = _utc_z(event.created_at)
    risk, decision, pii = str(event.risk_level), str(event.decision), bool(event.pii_detected)
    pii_fields = _names_text(tuple(event.pii_fields))
    secret_fields = _names_text(tuple(event.secret_fields))
    frameworks = _frameworks_text(tuple((k, tuple(v)) for k, v in event.frameworks.items()))
    agent_id, action = event.agent_id, event.action
    policy_version = event.policy_version
    # the canonical text of chain_fields(...) in sorted key order, cut around prev_hash and seq
    # (chained_hash splices them in; a test compares the result with event_hash)
    q = canonical_text
    hash_head = (
        f'{{"action":{q(action)},"agent_id":{q(agent_id)},"chain_version":{CHAIN_VERSION},'
        f'"created_at":"{created_at}","decision":"{decision}","frameworks":{q(frameworks)},'
        f'"id":{q(event.id)},"kind":{q(kind)},"org_id":{q(org_id)},'
        f'"partial_scan":{"true" if partial else "false"},"payload_digest":"{digest}",'
        f'"pii_detected":{"true" if pii else "false"},"pii_fields":{q(pii_fields)},'
        f'"policy_version":{"null" if policy_version is None else int(policy_version)}'
    )
    hash_tail = (
        f'"reason":{q(reason)},"risk_level":"{risk}","rules":{q(rules)},'
        f'"secret_fields":{q(secret_fields)}'
    )
    values = (risk, action, agent_id, decision, "true" if pii else "false")
    day = created_at[:10]
    return PreparedEvent(
        event,
        key,
        (
            agent_id,
            action,
            session_id_of(event.context),
            created_at,
            data_text,
            context_text,
            reasoning,
            risk,
            pii,
            pii_fields,
            secret_fields,
            frameworks,
            decision,
            reason,
            digest,
        ),
        hash_head,
        hash_tail,
        _buckets(org_id, values, day),
        (CHAIN_VERSION, kind, rules, evidence, partial, request_digest, policy_version),
        request_digest,
        subjects,
    )


def _buckets(
    org_id: str, values: tuple[str, str, str, str, str], day: str
) -> tuple[tuple[str, str, str, str], ...]:
    """The daily count rows an event adds to; `values` in COUNT_DIMENSIONS order."""
    risk, action, agent_id, decision, pii = values
    combined = "|".join((risk, decision, pii))  # COMBINED order
    return (
        (org_id, "rdp", combined, day),
        (org_id, "agent_rdp", f"{combined}|{agent_id}", day),
        (org_id, "action_rdp", f"{combined}|{action}", day),
    )


def known_events(rows: Sequence[Sequence[Any]]) -> dict[str, tuple[Event, str | None]]:
    """{key: (event, request digest)} from rows of EVENT_COLUMNS + idempotency_key,
    idempotency_digest."""
    return {r[-2]: (row_to_event(r), r[-1]) for r in rows}


def split_known(
    items: Sequence[PreparedEvent], existing: dict[str, tuple[Event, str | None]]
) -> tuple[list[Event], list[PreparedEvent]]:
    """The answer for each item — the event stored earlier under its idempotency key, if any —
    and the items still to store. The same key twice in one call stores once.

    A key reused with another request (its digest differs) raises `IdempotencyConflict` naming
    every such item, before anything is stored. A key stored before digests were kept (schema
    < 0007) matches any request, as it did then. A replayed item's answer is the stored event,
    never the item's own: callers tell replays by identity (`out[i] is not items[i].event`).
    """
    out: list[Event] = []
    fresh: list[PreparedEvent] = []
    conflicts: list[int] = []
    for i, item in enumerate(items):
        key = item.key
        if key is not None and key in existing:
            event, digest = existing[key]
            if digest is not None and item.request_digest not in (None, digest):
                conflicts.append(i)
            out.append(event)
            continue
        fresh.append(item)
        out.append(item.event)
        if key is not None:
            existing[key] = (item.event, item.request_digest)
    if conflicts:
        raise IdempotencyConflict([items[i].key or "" for i in conflicts], conflicts)
    return out, fresh


def chained_hash(item: PreparedEvent, seq: int, prev_hash: str) -> str:
    """`event_hash` of the item at (seq, prev_hash): the canonical text, spliced together."""
    body = f'{item.hash_head},"prev_hash":"{prev_hash}",{item.hash_tail},"seq":{seq}}}'
    return hashlib.sha256(body.encode()).hexdigest()


def chain_prepared(
    org_id: str, items: Sequence[PreparedEvent], seq: int, prev: str
) -> ChainedBatch:
    """Chain prepared events after the head (`seq`, `prev`)."""
    rows: list[tuple] = []
    counts: dict[tuple, list[int]] = {}  # bucket -> [n, min seq, max seq]
    subjects: list[tuple] = []
    for item in items:
        seq += 1
        h = chained_hash(item, seq, prev)
        rows.append((item.event.id, org_id, seq, *item.columns, prev, h, item.key, *item.extra))
        if item.subjects:
            subjects += [(org_id, vh, typ, seq) for vh, typ in item.subjects]
        for bucket in item.buckets:
            tally = counts.get(bucket)
            if tally is None:
                counts[bucket] = [1, seq, seq]
            else:
                tally[0] += 1
                tally[2] = seq  # seq only grows within a batch
        prev = h
    # a fixed order, so concurrent writers of one org never wait on each other crosswise
    count_rows = [(*k, *t) for k, t in sorted(counts.items())]
    return ChainedBatch(rows, count_rows, seq, prev, subjects)


def chain_batch(
    org_id: str, items: Sequence[tuple[Event, str | None]], seq: int, prev: str
) -> ChainedBatch:
    """Chain `items` (event, idempotency key) after the head (`seq`, `prev`)."""
    return chain_prepared(org_id, [prepare_event(org_id, e, k) for e, k in items], seq, prev)


def filter_sql(org_id: str, flt: EventFilter, placeholder: str = "?") -> tuple[str, list[Any]]:
    """WHERE clause for the list filters; `placeholder` is `?` (sqlite) or `%s` (psycopg)."""
    clauses, args = dimension_filter(org_id, flt, placeholder, with_session=True)
    if flt.secret_type is not None:
        # through the partial index of events with secrets (migration 0024: WITH_SECRETS,
        # repeated word for word), then the type as a JSON string inside the stored list
        clauses.append(f"{WITH_SECRETS} AND secret_fields LIKE {placeholder} ESCAPE '\\'")
        args.append(json_string_pattern(flt.secret_type))
    if flt.after is not None:
        clauses.append(f"created_at >= {placeholder}")
        args.append(_utc_z(flt.after))
    if flt.before is not None:
        clauses.append(f"created_at < {placeholder}")
        args.append(_utc_z(flt.before))
    return " AND ".join(clauses), args


def json_string_pattern(value: str) -> str:
    """A LIKE pattern matching the JSON string `"value"` inside a canonical JSON list."""
    escaped = value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f'%"{escaped}"%'


def dimension_filter(
    org_id: str, flt: EventFilter, placeholder: str, *, with_session: bool
) -> tuple[list[str], list[Any]]:
    """The equality filters (no time range); `event_counts` has all but session_id."""
    clauses: list[str] = ["org_id = " + placeholder]
    args: list[Any] = [org_id]
    columns = ("agent_id", "action", "session_id") if with_session else ("agent_id", "action")
    for column in columns:
        value = getattr(flt, column)
        if value is not None:
            clauses.append(f"{column} = {placeholder}")
            args.append(value)
    if flt.risk_level is not None:
        clauses.append(f"risk_level = {placeholder}")
        args.append(str(flt.risk_level))
    if flt.decision is not None:
        clauses.append(f"decision = {placeholder}")
        args.append(str(flt.decision))
    if flt.pii_detected is not None:
        clauses.append(f"pii_detected = {placeholder}")
        args.append(flt.pii_detected)
    return clauses, args


# -- counting through the daily summary --------------------------------------------------------
Run = Callable[[str, list[Any]], list[tuple]]


def _day_after(z: str) -> str:
    """The first whole day at or after the instant `z` (a 'Z' string): its 'YYYY-MM-DD'."""
    if z.endswith(_MIDNIGHT):
        return z[:10]
    return (datetime.fromisoformat(z[:10]) + timedelta(days=1)).strftime("%Y-%m-%d")


@dataclass(frozen=True)
class _Plan:
    """How to count [after, before): whole days from `event_counts`, the rest from `events`."""

    use_summary: bool
    first_day: str | None  # whole days from here …
    end_day: str | None  # … up to (excluding) this one
    ranges: list[tuple[str | None, str | None]]  # created_at ranges counted from events


def _plan(flt: EventFilter) -> _Plan:
    after = _utc_z(flt.after) if flt.after is not None else None
    before = _utc_z(flt.before) if flt.before is not None else None
    first_day = _day_after(after) if after is not None else None
    end_day = before[:10] if before is not None else None
    if first_day is not None and end_day is not None and first_day > end_day:
        return _Plan(False, None, None, [(after, before)])  # within one day
    ranges: list[tuple[str | None, str | None]] = []
    if after is not None and first_day is not None and first_day + _MIDNIGHT != after:
        ranges.append((after, first_day + _MIDNIGHT))
    if before is not None and end_day is not None and end_day + _MIDNIGHT != before:
        ranges.append((end_day + _MIDNIGHT, before))
    return _Plan(True, first_day, end_day, ranges)


def _summary_where(org_id: str, plan: _Plan, p: str) -> tuple[str, list[Any]]:
    clauses, args = [f"org_id = {p}"], [org_id]
    if plan.first_day is not None:
        clauses.append(f"day >= {p}")
        args.append(plan.first_day)
    if plan.end_day is not None:
        clauses.append(f"day < {p}")
        args.append(plan.end_day)
    return " AND ".join(clauses), args


def _events_where(
    org_id: str, flt: EventFilter, lo: str | None, hi: str | None, p: str
) -> tuple[str, list[Any]]:
    where, args = filter_sql(org_id, flt.model_copy(update={"after": None, "before": None}), p)
    if lo is not None:
        where += f" AND created_at >= {p}"
        args.append(lo)
    if hi is not None:
        where += f" AND created_at < {p}"
        args.append(hi)
    return where, args


def count_total(run: Run, org_id: str, flt: EventFilter, p: str) -> int:
    """The exact number of events matching `flt`.

    Whole days are summed from `event_counts` — O(days), not O(events) — and the partial days
    at the edges counted from `events` by its indexes. That covers no filter, any one
    dimension, and any mix of risk_level, decision and pii_detected with at most one of
    agent_id and action (through the combined dimensions). The rest (session_id, agent_id
    together with action) counts `events` through their indexes.
    """
    plan = _plan(flt)
    summary = _summary_dim(flt)
    if summary is None or not plan.use_summary:
        where, args = filter_sql(org_id, flt, p)
        return int(run(f"SELECT count(*) FROM events WHERE {where}", args)[0][0])
    dim, values = summary
    where, args = _summary_where(org_id, plan, p)
    where += f" AND dim = {p} AND value IN ({', '.join([p] * len(values))})"
    args += [dim, *values]
    total = int(run(f"SELECT coalesce(sum(n), 0) FROM event_counts WHERE {where}", args)[0][0])
    for lo, hi in plan.ranges:
        where, args = _events_where(org_id, flt, lo, hi, p)
        total += int(run(f"SELECT count(*) FROM events WHERE {where}", args)[0][0])
    return total


def _summary_dim(flt: EventFilter) -> tuple[str, list[str]] | None:
    """The `event_counts` dimension and the values whose sum is the total, or None."""
    if flt.session_id is not None or flt.secret_type is not None:
        return None
    named = [d for d in NAMED_DIMS if getattr(flt, d) is not None]
    if len(named) > 1:
        return None
    options = [
        COMBINED_VALUES[d] if getattr(flt, d) is None else (dimension_value(d, getattr(flt, d)),)
        for d in COMBINED
    ]
    combos = ["|".join(values) for values in itertools.product(*options)]
    if not named:
        return "rdp", combos
    suffix = "|" + getattr(flt, named[0])
    return NAMED_DIMS[named[0]], [c + suffix for c in combos]


def count_stats(
    run: Run, org_id: str, after: datetime | None, before: datetime | None, p: str
) -> Stats:
    """Exact `Stats` for [after, before), whole days from `event_counts` (see count_total)."""
    flt = EventFilter(after=after, before=before)
    plan = _plan(flt)
    tallies: dict[str, dict[str, int]] = {d: {} for d in COUNT_DIMENSIONS}
    if plan.use_summary:
        where, args = _summary_where(org_id, plan, p)
        dims = ("rdp", *NAMED_DIMS.values())
        where += f" AND dim IN ({', '.join([p] * len(dims))})"
        sql = f"SELECT dim, value, sum(n) FROM event_counts WHERE {where} GROUP BY dim, value"
        named = {dim: name for name, dim in NAMED_DIMS.items()}
        for dim, value, n in run(sql, [*args, *dims]):
            parts = value.split("|", len(COMBINED))
            counted: Iterable[tuple[str, str]]
            if dim == "rdp":
                counted = zip(COMBINED, parts, strict=True)
            else:
                counted = ((named[dim], parts[-1]),)
            for name, key in counted:
                tallies[name][key] = tallies[name].get(key, 0) + int(n)
    cols = ", ".join(COUNT_DIMENSIONS)
    for lo, hi in plan.ranges:
        where, args = _events_where(org_id, flt, lo, hi, p)
        for *values, n in run(
            f"SELECT {cols}, count(*) FROM events WHERE {where} GROUP BY {cols}", args
        ):
            for dim, value in zip(COUNT_DIMENSIONS, values, strict=True):
                key = dimension_value(dim, value)
                tallies[dim][key] = tallies[dim].get(key, 0) + int(n)

    def ordered(d: dict[str, int]) -> dict[str, int]:
        """Largest first, ties by name: the same order in every store."""
        return dict(sorted(((k, n) for k, n in d.items() if n), key=lambda kv: (-kv[1], kv[0])))

    by_decision = ordered(tallies["decision"])
    return Stats(
        total_events=sum(by_decision.values()),
        by_risk_level=ordered(tallies["risk_level"]),
        by_action=ordered(tallies["action"]),
        by_agent=ordered(tallies["agent_id"]),
        by_decision=by_decision,
        pii_events=tallies["pii_detected"].get("true", 0),
    )


def verify_chain(
    run: Run, org_id: str, placeholder: str, checkpoints: Sequence[Checkpoint] | None = None
) -> VerifyResult:
    """Recompute an organisation's chain up to its head as it is now, and check it against
    `checkpoints` (default: the stored ones; signatures are the caller's to check).

    The head is read first: events appended meanwhile (seq above it) are left for the next run
    instead of being read half-way, so verifying a live store gives no false alarm. A stored row
    beyond the head that no append explains (the head moves with every append) is reported.
    Checkpoints are read before the head, so each names a seq the head had reached.
    """
    p = placeholder
    if checkpoints is None:
        checkpoints = read_checkpoints(run, org_id, p)
    head_sql = f"SELECT seq, hash FROM chain_heads WHERE org_id = {p}"
    head = run(head_sql, [org_id])
    head_seq, head_hash = (int(head[0][0]), head[0][1]) if head else (0, GENESIS)
    verifier = ChainVerifier(checkpoints=checkpoints)
    last = 0
    while True:
        rows = run(
            f"SELECT {EVENT_COLUMNS} FROM events WHERE org_id = {p} AND seq > {p}"
            f" AND seq <= {p} ORDER BY seq LIMIT 2000",
            [org_id, last, head_seq],
        )
        if not rows:
            break
        for r in rows:
            if not verifier.feed(chain_row(r)):
                return verifier.finish(None, None)
        last = rows[-1][2]
    beyond = run(
        f"SELECT min(seq) FROM events WHERE org_id = {p} AND seq > {p}", [org_id, head_seq]
    )
    if beyond and beyond[0][0] is not None:
        extra = int(beyond[0][0])
        now = run(head_sql, [org_id])
        if not now or int(now[0][0]) < extra:
            return VerifyResult(
                False,
                verifier.checked,
                verifier.expected_seq - 1,
                f"seq {extra} is stored beyond the chain head (seq {head_seq})",
                extra,
                None,
            )
    return verifier.finish(head_seq, head_hash)


# Signed checkpoints (store/checkpoint.py): the same statements in every store.
CHECKPOINT_COLUMNS = "org_id, seq, hash, signed_at, key_id, signature"
ADD_CHECKPOINT_SQL = (
    f"INSERT INTO checkpoints ({CHECKPOINT_COLUMNS}) VALUES ({{p}}, {{p}}, {{p}}, {{p}}, {{p}}, {{p}})"
    " ON CONFLICT (org_id, seq, key_id) DO NOTHING"
)
# Each organisation's head, with the seq and time of its newest checkpoint (none: NULL), so a
# signer decides in one query which heads are due.
HEADS_TO_SIGN_SQL = (
    "SELECT h.org_id, h.seq, h.hash, c.seq, c.signed_at FROM chain_heads h"
    " LEFT JOIN checkpoints c ON c.org_id = h.org_id AND c.seq ="
    " (SELECT max(seq) FROM checkpoints m WHERE m.org_id = h.org_id)"
    " WHERE h.seq > 0"
)


def read_checkpoints(
    run: Run, org_id: str, p: str, after_seq: int = 0, limit: int | None = None
) -> list[Checkpoint]:
    """An organisation's stored checkpoints after `after_seq`, oldest first."""
    sql = (
        f"SELECT {CHECKPOINT_COLUMNS} FROM checkpoints WHERE org_id = {p} AND seq > {p}"
        " ORDER BY seq, key_id"
    )
    if limit is not None:
        sql += f" LIMIT {int(limit)}"
    return [
        Checkpoint(str(r[0]), int(r[1]), str(r[2]), str(r[3]), str(r[4]), str(r[5]))
        for r in run(sql, [org_id, after_seq])
    ]


def read_chain_rows(
    run: Run, org_id: str, p: str, after_seq: int, upto_seq: int, limit: int
) -> list[ChainRow]:
    """Stored rows after `after_seq` up to `upto_seq`, in seq order, exactly as hashed (what an
    export writes and `verify` recomputes)."""
    rows = run(
        f"SELECT {EVENT_COLUMNS} FROM events WHERE org_id = {p} AND seq > {p} AND seq <= {p}"
        f" ORDER BY seq LIMIT {int(limit)}",
        [org_id, after_seq, upto_seq],
    )
    return [chain_row(r) for r in rows]


@dataclass(frozen=True)
class Head:
    """An organisation's chain head and its newest checkpoint (a signer's view)."""

    org_id: str
    seq: int
    hash: str
    signed_seq: int | None
    signed_at: str | None


def heads(rows: Iterable[tuple]) -> list[Head]:
    return [
        Head(str(r[0]), int(r[1]), str(r[2]), None if r[3] is None else int(r[3]), r[4])
        for r in rows
    ]


# Dashboard sessions: the same statements in every store, `{p}` being the driver's placeholder.
SAVE_SESSION_SQL = (
    "INSERT INTO dashboard_sessions (id_hash, org_id, key_hash, csrf, created_at, last_seen)"
    " VALUES ({p}, {p}, {p}, {p}, {p}, {p})"
    " ON CONFLICT (id_hash) DO UPDATE SET last_seen = excluded.last_seen"
)
LOAD_SESSION_SQL = (
    "SELECT id_hash, org_id, key_hash, csrf, created_at, last_seen FROM dashboard_sessions"
    " WHERE id_hash = {p}"
)
EXPIRE_SESSIONS_SQL = "DELETE FROM dashboard_sessions WHERE last_seen < {p} OR created_at < {p}"


# -- masking the secrets of stored payloads (agentaudit db mask-secrets) -----------------------
# Candidates: calls neither erased nor masked; with secret types, through the partial index of
# migration 0024 (its predicate `secret_fields <> '[]'` must appear as it is written there).
WITH_SECRETS = "secret_fields <> '[]'"


def payloads_to_mask_sql(p: str, with_secret_types: bool) -> str:
    extra = f" AND {WITH_SECRETS}" if with_secret_types else ""
    return (
        f"SELECT {EVENT_COLUMNS} FROM events WHERE org_id = {p} AND seq > {p} AND kind = 'call'"
        f" AND erased_at IS NULL AND masked_by IS NULL{extra} ORDER BY seq LIMIT {p}"
    )


def stored_payload(row: Sequence[Any]) -> StoredPayload:
    """A row in EVENT_COLUMNS order as a `StoredPayload`."""
    version = row[20]
    return StoredPayload(
        seq=int(row[2]),
        event=row_to_event(row),
        texts=(row[6], row[7], row[8], row[23]),
        chain_version=1 if version is None else int(version),
        chained=chain_row(row).fields,
        hash=str(row[18]),
    )


def current_payloads_sql(p: str, count: int, lock: str = "") -> str:
    """The payload texts of `count` seqs as they are now (args: org, *seqs), to keep only the
    masks of payloads that did not change since they were read."""
    return (
        "SELECT seq, data, context, reasoning, evidence FROM events WHERE org_id = "
        f"{p} AND seq IN ({', '.join([p] * count)}) AND erased_at IS NULL"
        f" AND masked_by IS NULL AND kind = 'call'{lock}"
    )


def unchanged(masks: Sequence[PayloadMask], rows: Sequence[Sequence[Any]]) -> list[PayloadMask]:
    """The masks whose payload is still as it was read (`rows`: seq, data, context,
    reasoning, evidence), one per row, in seq order: the order `verify` reads the rows that
    the masking record lists."""
    now = {int(r[0]): tuple(r[1:5]) for r in rows}
    kept = {m.seq: m for m in reversed(masks) if now.get(m.seq) == m.before}  # first per seq
    return [kept[seq] for seq in sorted(kept)]


def mask_update_sql(p: str) -> str:
    """Args: data, context, reasoning, evidence, masked_by, masked_digest, reason (NULL: kept
    as it is), org_id, seq."""
    return (
        f"UPDATE events SET data = {p}, context = {p}, reasoning = {p}, evidence = {p},"
        f" masked_by = {p}, masked_digest = {p}, reason = COALESCE({p}, reason)"
        f" WHERE org_id = {p} AND seq = {p}"
    )


def mask_update_args(mask: PayloadMask, record_seq: int, org_id: str) -> tuple:
    return (
        mask.data,
        mask.context,
        mask.reasoning,
        mask.evidence,
        record_seq,
        mask.digest,
        mask.reason,
        org_id,
        mask.seq,
    )


def fingerprint_search_sql(p: str) -> str:
    """Events whose payload or evidence holds a placeholder with this fingerprint (args: org,
    then the LIKE pattern four times, then the limit), oldest first: a full scan of the
    organisation's events, for incident response."""
    like = f"LIKE {p}"
    return (
        f"SELECT {EVENT_COLUMNS} FROM events WHERE org_id = {p} AND (data {like}"
        f" OR context {like} OR reasoning {like} OR evidence {like}) ORDER BY seq LIMIT {p}"
    )


def fingerprint_pattern(fp: str) -> str:
    """The LIKE pattern of `[SECRET:<any type>:<fp>]` (fp is hex: nothing to escape)."""
    return f"%:{fp}]%"


# The columns policy replay reads (replay.py): what `decide` needs, the stored decision, and
# whether the payload was erased. Nothing else is read, so a million rows stream quickly.
REPLAY_COLUMNS = (
    "seq, id, agent_id, action, risk_level, pii_fields, secret_fields, rules, decision, erased_at"
)


def replay_rows_sql(p: str, since: bool, until: bool) -> str:
    """Call events after a seq (args: org, after_seq, [since], [until], limit), in seq order;
    `since` and `until` bound `created_at` (text in one format, so compared as text)."""
    where = f"org_id = {p} AND seq > {p} AND kind = 'call'"
    if since:
        where += f" AND created_at >= {p}"
    if until:
        where += f" AND created_at < {p}"
    return f"SELECT {REPLAY_COLUMNS} FROM events WHERE {where} ORDER BY seq LIMIT {p}"


def replay_args(
    org_id: str, after_seq: int, since: datetime | None, until: datetime | None, limit: int
) -> list[Any]:
    args: list[Any] = [org_id, after_seq]
    args += [_utc_z(t) for t in (since, until) if t is not None]
    return [*args, limit]
