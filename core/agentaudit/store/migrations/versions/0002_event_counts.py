"""Daily event counts per organisation, so stats and list totals cost O(groups), not O(events).

One row per org × day × risk_level × action × agent_id × decision × pii_detected, incremented in
the same transaction that appends the events (so the counts are exact). Existing events are
counted in.

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

_KEY = ("org_id", "day", "risk_level", "action", "agent_id", "decision", "pii_detected")


def upgrade() -> None:
    op.create_table(
        "event_counts",
        sa.Column("org_id", sa.String(26), sa.ForeignKey("orgs.id"), nullable=False),
        sa.Column("day", sa.String(10), nullable=False),
        sa.Column("risk_level", sa.String(8), nullable=False),
        sa.Column("action", sa.String(256), nullable=False),
        sa.Column("agent_id", sa.String(256), nullable=False),
        sa.Column("decision", sa.String(5), nullable=False),
        sa.Column("pii_detected", sa.Boolean(), nullable=False),
        sa.Column("n", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint(*_KEY, name="pk_event_counts"),
    )
    columns = ", ".join(_KEY[2:])
    op.execute(
        f"INSERT INTO event_counts ({', '.join(_KEY)}, n)"
        f" SELECT org_id, substr(created_at, 1, 10), {columns}, count(*) FROM events"
        f" GROUP BY org_id, substr(created_at, 1, 10), {columns}"
    )


def downgrade() -> None:
    op.drop_table("event_counts")
