"""The seq range of each daily count, so a page inside a time range walks only that range.

A page of one agent (or action) in a week a month back was read newest first from the agent's
index, skipping every newer event of the agent by its time: the cost grew with the number of
newer events, not with the page. Each count row now keeps the smallest and largest seq it
counted; the `rdp` rows of the range's days bound the seq of every event in the range, and the
page's index walk starts and stops there, reading only the range. The `rdp` rows of existing
events are filled in.

Revision ID: 0006
Revises: 0005
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

_PII = "CASE WHEN pii_detected THEN 'true' ELSE 'false' END"
_RDP = f"risk_level || '|' || decision || '|' || {_PII}"


def upgrade() -> None:
    op.add_column("event_counts", sa.Column("min_seq", sa.BigInteger(), nullable=True))
    op.add_column("event_counts", sa.Column("max_seq", sa.BigInteger(), nullable=True))
    op.execute(
        "UPDATE event_counts SET min_seq = s.lo, max_seq = s.hi FROM ("
        f" SELECT org_id, {_RDP} AS rdp, substr(created_at, 1, 10) AS d,"
        " min(seq) AS lo, max(seq) AS hi FROM events"
        f" GROUP BY org_id, {_RDP}, substr(created_at, 1, 10)) AS s"
        " WHERE event_counts.org_id = s.org_id AND event_counts.dim = 'rdp'"
        " AND event_counts.value = s.rdp AND event_counts.day = s.d"
    )


def downgrade() -> None:
    with op.batch_alter_table("event_counts") as batch:
        batch.drop_column("max_seq")
        batch.drop_column("min_seq")
