"""Daily counts by the combined dimensions only: three count rows to update per event, not eight.

0004's combined dimensions hold everything 0002's per-dimension rows did: a risk level's,
decision's or PII flag's count is a sum over the `rdp` values that carry it, an agent's or
action's a sum over its `agent_rdp` or `action_rdp` values (16 at most per day). Every append
added to all eight rows of its event; the five per-dimension ones are dropped, which saves
their upserts (and their row locks, on PostgreSQL) on the write path.

Revision ID: 0005
Revises: 0004
"""

from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

_VALUES = {  # as 0002 counted them
    "risk_level": "risk_level",
    "action": "action",
    "agent_id": "agent_id",
    "decision": "decision",
    "pii_detected": "CASE WHEN pii_detected THEN 'true' ELSE 'false' END",
}


def upgrade() -> None:
    dims = ", ".join(f"'{dim}'" for dim in _VALUES)
    op.execute(f"DELETE FROM event_counts WHERE dim IN ({dims})")


def downgrade() -> None:
    for dim, value in _VALUES.items():
        op.execute(
            "INSERT INTO event_counts (org_id, dim, value, day, n)"
            f" SELECT org_id, '{dim}', {value}, substr(created_at, 1, 10), count(*) FROM events"
            f" GROUP BY org_id, {value}, substr(created_at, 1, 10)"
        )
