"""The policy's versions in the store (policy_history.py), shared by SQLite and PostgreSQL.

`set_policy` is each store's own (their transactions differ): in one transaction it reads the
policy and version in force, chains the record of the change, and writes the new policy and
version and the history row. What they share is here: the SQL and the reads. A store that
mixes this in provides `_rows(sql, args)`, `_placeholder` and `policy_in_force`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ulid import ULID

from agentaudit.models import Policy, _utc_z
from agentaudit.policy_history import (
    MAX_PAGE,
    PolicyHistory,
    PolicyVersion,
    policy_dict,
    version_of_row,
)

# A history row with what its chained event says (the evidence: `verify` recomputes it), so a
# row altered behind the store's back does not change what the history shows; the row's own
# values stand in only if the event cannot be read (which `verify` reports).
HISTORY_COLUMNS = (
    "c.version, c.changed_at, c.actor, c.source, c.previous, c.policy, c.event_id, c.event_seq,"
    " e.created_at, e.context, e.data"
)
HISTORY_FROM = (
    "policy_changes c LEFT JOIN events e ON e.org_id = c.org_id AND e.seq = c.event_seq"
    " AND e.id = c.event_id AND e.kind = 'policy_change'"
)


def insert_change_sql(p: str) -> str:
    """A history row (args: `change_args`)."""
    return (
        "INSERT INTO policy_changes (id, org_id, changed_at, source, policy, version, previous,"
        f" actor, event_id, event_seq) VALUES ({', '.join([p] * 10)})"
    )


def change_args(
    org_id: str,
    record: Any,  # the chained Event of the change
    source: str,
    new_json: str,
    version: int,
    old_json: str,
    actor: str,
    seq: int,
) -> tuple:
    return (
        str(ULID()),
        org_id,
        _utc_z(record.created_at),
        source[:64],
        new_json,
        version,
        old_json,
        actor,
        record.id,
        seq,
    )


def update_org_sql(p: str) -> str:
    """Set the policy and its version (args: policy JSON, version, org, version in force):
    guarded by the version read, so a change never lands on another it did not see."""
    return (
        f"UPDATE orgs SET policy = {p}, policy_version = {p}"
        f" WHERE id = {p} AND policy_version = {p}"
    )


class PolicyVersionsMixin:
    """The reads of the policy's versions, shared by the SQL stores."""

    _placeholder: str

    def _rows(self, sql: str, args: Sequence[Any] = ()) -> list[tuple]:
        raise NotImplementedError

    def policy_in_force(self, org_id: str) -> tuple[Policy, int]:
        raise NotImplementedError

    def policy_versions(self, org_id: str, limit: int = 50, offset: int = 0) -> PolicyHistory:
        """The recorded versions, newest first (versions 1 …; version 0 is no change)."""
        p = self._placeholder
        limit = max(1, min(limit, MAX_PAGE))
        rows = self._rows(
            f"SELECT {HISTORY_COLUMNS} FROM {HISTORY_FROM} WHERE c.org_id = {p}"
            f" AND c.version IS NOT NULL ORDER BY c.version DESC LIMIT {p} OFFSET {p}",
            [org_id, limit, offset],
        )
        total = self._rows(
            f"SELECT count(*) FROM policy_changes WHERE org_id = {p} AND version IS NOT NULL",
            [org_id],
        )[0][0]
        current = self._rows(f"SELECT policy_version FROM orgs WHERE id = {p}", [org_id])
        return PolicyHistory(
            versions=[version_of_row(r) for r in rows],
            total=int(total),
            limit=limit,
            offset=offset,
            current_version=int(current[0][0]) if current else 0,
        )

    def get_policy_version(self, org_id: str, version: int) -> PolicyVersion | None:
        """One version; 0 is the policy before the first recorded change (the `old` of version
        1, or the policy in force when nothing was changed since versions were kept)."""
        p = self._placeholder
        if version < 0:
            return None
        wanted = max(version, 1)
        rows = self._rows(
            f"SELECT {HISTORY_COLUMNS} FROM {HISTORY_FROM} WHERE c.org_id = {p}"
            f" AND c.version = {p}",
            [org_id, wanted],
        )
        if version > 0:
            return version_of_row(rows[0]) if rows else None
        if rows:
            first = version_of_row(rows[0])
            initial = first.old if first.old is not None else {}
        else:
            policy, current = self.policy_in_force(org_id)
            if current != 0:
                return None
            initial = policy_dict(policy)
        return PolicyVersion(version=0, source="initial", new=initial)
