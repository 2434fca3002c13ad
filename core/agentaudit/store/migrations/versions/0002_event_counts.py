"""Daily event counts per organisation, so stats and list totals cost O(days), not O(events).

One row per org × dimension (risk_level, action, agent_id, decision, pii_detected) × value × day,
incremented in the transaction that appends the events, so the counts are exact. One dimension
per row keeps the table small however the dimensions combine (days × distinct values). Existing
events are counted in.

On PostgreSQL the filter indexes also carry the other filter columns (INCLUDE), so a total over
several filters, or the partial days of a stats range, is an index-only scan instead of thousands
of scattered heap reads. SQLite keeps the indexes of 0001.

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

_VALUES = {
    "risk_level": "risk_level",
    "action": "action",
    "agent_id": "agent_id",
    "decision": "decision",
    "pii_detected": "CASE WHEN pii_detected THEN 'true' ELSE 'false' END",
}


def upgrade() -> None:
    op.create_table(
        "event_counts",
        sa.Column("org_id", sa.String(26), sa.ForeignKey("orgs.id"), nullable=False),
        sa.Column("dim", sa.String(16), nullable=False),
        sa.Column("value", sa.String(256), nullable=False),
        sa.Column("day", sa.String(10), nullable=False),
        sa.Column("n", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("org_id", "dim", "value", "day", name="pk_event_counts"),
    )
    for dim, value in _VALUES.items():
        op.execute(
            "INSERT INTO event_counts (org_id, dim, value, day, n)"
            f" SELECT org_id, '{dim}', {value}, substr(created_at, 1, 10), count(*) FROM events"
            f" GROUP BY org_id, {value}, substr(created_at, 1, 10)"
        )

    if op.get_bind().dialect.name == "postgresql":
        for key, include in _covering_indexes().items():
            op.drop_index(key, table_name="events")
            op.create_index(key, "events", _INDEX_KEYS[key], postgresql_include=include)


_DIMS = ("agent_id", "action", "risk_level", "decision", "pii_detected")
_INDEX_KEYS = {
    **{f"ix_events_org_{d}_seq": ["org_id", d, "seq"] for d in _DIMS},
    "ix_events_org_created_at": ["org_id", "created_at"],
}


def _covering_indexes() -> dict[str, list[str]]:
    out = {f"ix_events_org_{d}_seq": [c for c in (*_DIMS, "created_at") if c != d] for d in _DIMS}
    out["ix_events_org_created_at"] = list(_DIMS)
    return out


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for key in _covering_indexes():
            op.drop_index(key, table_name="events")
            op.create_index(key, "events", _INDEX_KEYS[key])
    op.drop_table("event_counts")
