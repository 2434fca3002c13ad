"""Approval requests (issue 21): a call held for review (decision `review`) waits for a human.

`approvals` holds one request per held call: the call's event, the digest of its agent, action
and arguments (the approval holds for that exact call), when it expires, and once decided the
decision, who decided, their comment and the chained event that records the outcome. A pending
request past `expires_at` reads as expired (= deny); it is decided at most once (an UPDATE
guarded by state and expiry).

`events.decision` was VARCHAR(5) ("allow", "block"); "review" needs six characters. PostgreSQL
widens a VARCHAR without rewriting the table or its indexes; SQLite does not enforce the length.

Revision ID: 0025
Revises: 0019
"""

import sqlalchemy as sa
from alembic import op

revision = "0025"
down_revision = "0019"
branch_labels = None
depends_on = None


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.alter_column(
            "events", "decision", type_=sa.String(16), existing_type=sa.String(5), nullable=False
        )
    op.create_table(
        "approvals",
        sa.Column("id", sa.String(26), primary_key=True),
        sa.Column("org_id", sa.String(26), sa.ForeignKey("orgs.id"), nullable=False),
        sa.Column("event_id", sa.String(26), nullable=False),
        sa.Column("agent_id", sa.Text(), nullable=False),
        sa.Column("action", sa.Text(), nullable=False),
        sa.Column("digest", sa.String(64), nullable=False),
        sa.Column("state", sa.String(16), nullable=False),  # pending | approved | denied
        sa.Column("created_at", sa.String(24), nullable=False),
        sa.Column("expires_at", sa.String(24), nullable=False),
        sa.Column("decision", sa.String(16), nullable=True),  # approve | deny
        sa.Column("approver", sa.Text(), nullable=True),
        sa.Column("comment", sa.Text(), nullable=True),
        sa.Column("decided_at", sa.String(24), nullable=True),
        sa.Column("outcome_event_id", sa.String(26), nullable=True),
    )
    op.create_index("ix_approvals_org_state", "approvals", ["org_id", "state", "expires_at"])
    op.create_index("ix_approvals_org_event", "approvals", ["org_id", "event_id"])


def downgrade() -> None:
    op.drop_table("approvals")
    if op.get_bind().dialect.name == "postgresql":
        op.alter_column(
            "events", "decision", type_=sa.String(5), existing_type=sa.String(16), nullable=False
        )
