"""Daily counts of filter combinations, so a list total over several filters is O(days) too.

0002 counts one dimension per row; a total over two of them (say `risk_level=low` and
`pii_detected=false`) still had to count matching events — hundreds of thousands at scale.
Three combined dimensions close that gap: `rdp` (risk_level|decision|pii_detected, 16 values at
most), and the same prefixed to the agent (`agent_rdp`) or the action (`action_rdp`). Any mix of
risk, decision and PII filters, with or without one agent or action, is then a sum over at most
16 rows per day. Existing events are counted in; `value` grows to hold the prefix.

Revision ID: 0004
Revises: 0003
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

_PII = "CASE WHEN pii_detected THEN 'true' ELSE 'false' END"
_RDP = f"risk_level || '|' || decision || '|' || {_PII}"
_VALUES = {
    "rdp": _RDP,
    "agent_rdp": f"{_RDP} || '|' || agent_id",
    "action_rdp": f"{_RDP} || '|' || action",
}


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":  # SQLite does not enforce lengths
        op.alter_column("event_counts", "value", type_=sa.String(320), existing_type=sa.String(256))
    for dim, value in _VALUES.items():
        op.execute(
            "INSERT INTO event_counts (org_id, dim, value, day, n)"
            f" SELECT org_id, '{dim}', {value}, substr(created_at, 1, 10), count(*) FROM events"
            f" GROUP BY org_id, {value}, substr(created_at, 1, 10)"
        )


def downgrade() -> None:
    op.execute("DELETE FROM event_counts WHERE dim IN ('rdp', 'agent_rdp', 'action_rdp')")
    if op.get_bind().dialect.name == "postgresql":
        op.alter_column("event_counts", "value", type_=sa.String(256), existing_type=sa.String(320))
