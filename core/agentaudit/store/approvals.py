"""Approval requests in the store (approvals.py), shared by SQLite and PostgreSQL.

Requests are created by `append`, in the transaction that stores their held call, and decided by
`decide_approval`, in one transaction with the chained record of the outcome; both are the
stores' own (their transactions differ). What they share is here: the SQL, the row mapping and
the reads. A store that mixes this in provides `_rows(sql, args)` and `_placeholder`.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any, Literal, Protocol, runtime_checkable

from agentaudit.approvals import (
    Approval,
    ApprovalDraft,
    ApprovalState,
    state_at,
)
from agentaudit.models import Decision, Event, _utc_z
from agentaudit.store._sql import parse_z

APPROVAL_COLUMNS = (
    "id, event_id, agent_id, action, digest, state, created_at, expires_at, decision, approver,"
    " comment, decided_at, outcome_event_id"
)
MAX_LIST = 500


def insert_approval_sql(p: str) -> str:
    return (
        "INSERT INTO approvals (id, org_id, event_id, agent_id, action, digest, state,"
        f" created_at, expires_at) VALUES ({', '.join([p] * 9)})"
    )


def approval_rows(org_id: str, events: Sequence[Event]) -> list[tuple]:
    """The request rows of the held calls among `events` (those with a draft)."""
    rows = []
    for event in events:
        draft: ApprovalDraft | None = event.approval_draft()
        if draft is None or event.decision != Decision.REVIEW:
            continue
        rows.append(
            (
                draft.id,
                org_id,
                event.id,
                event.agent_id,
                event.action,
                draft.digest,
                ApprovalState.PENDING.value,
                _utc_z(event.created_at),
                _utc_z(draft.expires_at),
            )
        )
    return rows


def decide_sql(p: str) -> str:
    """Decide a request that is still pending and not expired (args: decision's state,
    decision, approver, comment, decided_at, outcome_event_id, org, id, now)."""
    return (
        f"UPDATE approvals SET state = {p}, decision = {p}, approver = {p}, comment = {p},"
        f" decided_at = {p}, outcome_event_id = {p}"
        f" WHERE org_id = {p} AND id = {p} AND state = 'pending' AND expires_at > {p}"
    )


def checked_decision(decision: str) -> Literal["approve", "deny"]:
    if decision == "approve":
        return "approve"
    if decision == "deny":
        return "deny"
    raise ValueError(f"decision must be 'approve' or 'deny', not {decision!r}")


def outcome_state(decision: str) -> ApprovalState:
    return ApprovalState.APPROVED if decision == "approve" else ApprovalState.DENIED


def now_utc() -> datetime:
    now = datetime.now(UTC)
    return now.replace(microsecond=now.microsecond // 1000 * 1000)


def row_to_approval(row: Sequence[Any], now: datetime | None = None) -> Approval:
    (
        ident,
        event_id,
        agent_id,
        action,
        digest,
        state,
        created_at,
        expires_at,
        decision,
        approver,
        comment,
        decided_at,
        outcome,
    ) = row
    expires = parse_z(expires_at)
    return Approval(
        id=ident,
        event_id=event_id,
        agent_id=agent_id,
        action=action,
        digest=digest,
        state=state_at(state, expires, now or now_utc()),
        decision=decision,
        approver=approver,
        comment=comment,
        created_at=parse_z(created_at),
        expires_at=expires,
        decided_at=parse_z(decided_at),
        outcome_event_id=outcome,
    )


def with_approval_ids(events: list[Event], ids: dict[str, str]) -> list[Event]:
    """`events` with the `approval_id` of each held call found in `ids` (event id -> id)."""
    out = []
    for event in events:
        found = ids.get(event.id) if event.decision == Decision.REVIEW else None
        if found is not None and event.approval_id != found:
            event = event.model_copy(update={"approval_id": found})
        out.append(event)
    return out


@runtime_checkable
class ApprovalStore(Protocol):
    """What human approval needs of a store (SQLiteStore and PostgresStore have it)."""

    def get_approval(self, org_id: str, approval_id: str) -> Approval | None: ...
    def list_approvals(
        self, org_id: str, state: ApprovalState | None = None, limit: int = 100, offset: int = 0
    ) -> list[Approval]: ...
    def approval_ids(self, org_id: str, event_ids: Sequence[str]) -> dict[str, str]: ...
    def decide_approval(
        self,
        org_id: str,
        approval_id: str,
        decision: str,
        approver: str,
        comment: str | None = None,
    ) -> Approval:
        """Decide a pending request and chain the record of it, in one transaction;
        `ApprovalNotFound`, or `ApprovalClosed` when it was decided already or expired."""
        ...


class ApprovalsMixin:
    """The reads of approval requests, shared by the SQL stores."""

    _placeholder: str

    def _rows(self, sql: str, args: Sequence[Any] = ()) -> list[tuple]:
        raise NotImplementedError

    def get_approval(self, org_id: str, approval_id: str) -> Approval | None:
        p = self._placeholder
        rows = self._rows(
            f"SELECT {APPROVAL_COLUMNS} FROM approvals WHERE org_id = {p} AND id = {p}",
            [org_id, approval_id],
        )
        return row_to_approval(rows[0]) if rows else None

    def list_approvals(
        self, org_id: str, state: ApprovalState | None = None, limit: int = 100, offset: int = 0
    ) -> list[Approval]:
        """Newest first. `pending` lists those still open (not expired), `expired` those
        pending past their expiry; the others as stored."""
        p = self._placeholder
        now = now_utc()
        where, args = f"org_id = {p}", [org_id]
        if state == ApprovalState.PENDING:
            where += f" AND state = 'pending' AND expires_at > {p}"
            args.append(_utc_z(now))
        elif state == ApprovalState.EXPIRED:
            where += f" AND state = 'pending' AND expires_at <= {p}"
            args.append(_utc_z(now))
        elif state is not None:
            where += f" AND state = {p}"
            args.append(state.value)
        rows = self._rows(
            f"SELECT {APPROVAL_COLUMNS} FROM approvals WHERE {where}"
            f" ORDER BY id DESC LIMIT {p} OFFSET {p}",
            [*args, min(limit, MAX_LIST), offset],
        )
        return [row_to_approval(r, now) for r in rows]

    def approval_ids(self, org_id: str, event_ids: Sequence[str]) -> dict[str, str]:
        """{event id: approval id} of the held calls among `event_ids`."""
        out: dict[str, str] = {}
        p = self._placeholder
        ids = list(dict.fromkeys(event_ids))
        for i in range(0, len(ids), 500):
            chunk = ids[i : i + 500]
            rows = self._rows(
                f"SELECT event_id, id FROM approvals WHERE org_id = {p}"
                f" AND event_id IN ({', '.join([p] * len(chunk))})",
                [org_id, *chunk],
            )
            out.update({r[0]: r[1] for r in rows})
        return out
