"""Webhooks (issue 21, alerts): each organisation's webhook targets and the log of every
delivery attempt (agentaudit/alerts/).

`webhooks.secret` is kept as it was generated: the server needs it to sign each delivery
(HMAC-SHA256), so it cannot be stored as a hash. `events` is a JSON list of trigger names.
`webhook_deliveries` has one row per attempt (and per delivery dropped because the queue was
full); the dashboard and the API read it newest first by (org_id, webhook_id, id).

Revision ID: 0026
Revises: 0019
"""

import sqlalchemy as sa
from alembic import op

revision = "0026"
down_revision = "0025"
branch_labels = None
depends_on = None


def upgrade() -> None:
    tables = set(sa.inspect(op.get_bind()).get_table_names())
    if "webhooks" not in tables:
        op.create_table(
            "webhooks",
            sa.Column("id", sa.String(26), primary_key=True),
            sa.Column("org_id", sa.String(26), sa.ForeignKey("orgs.id"), nullable=False),
            sa.Column("url", sa.Text(), nullable=False),
            sa.Column("events", sa.Text(), nullable=False),
            sa.Column("format", sa.String(8), nullable=False),
            sa.Column("secret", sa.String(80), nullable=False),
            sa.Column("enabled", sa.Boolean(), nullable=False),
            sa.Column("description", sa.Text(), nullable=False, server_default=""),
            sa.Column("created_at", sa.String(24), nullable=False),
        )
        op.create_index("ix_webhooks_org", "webhooks", ["org_id", "id"])
    if "webhook_deliveries" not in tables:
        op.create_table(
            "webhook_deliveries",
            sa.Column("id", sa.String(26), primary_key=True),
            sa.Column("org_id", sa.String(26), sa.ForeignKey("orgs.id"), nullable=False),
            sa.Column("webhook_id", sa.String(26), nullable=False),
            sa.Column("delivery_id", sa.String(26), nullable=False),
            sa.Column("event_id", sa.String(26), nullable=True),
            sa.Column("trigger", sa.String(64), nullable=False),
            sa.Column("attempt", sa.Integer(), nullable=False),
            sa.Column("outcome", sa.String(16), nullable=False),
            sa.Column("http_status", sa.Integer(), nullable=True),
            sa.Column("error", sa.Text(), nullable=True),
            sa.Column("duration_ms", sa.Integer(), nullable=True),
            sa.Column("created_at", sa.String(24), nullable=False),
        )
        op.create_index(
            "ix_webhook_deliveries_org_hook", "webhook_deliveries", ["org_id", "webhook_id", "id"]
        )


def downgrade() -> None:
    op.drop_table("webhook_deliveries")
    op.drop_table("webhooks")
