"""Initial schema: organisations, API keys, chained events, chain heads.

Revision ID: 0001
Revises:
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "orgs",
        sa.Column("id", sa.String(26), primary_key=True),
        sa.Column("name", sa.String(256), nullable=False, unique=True),
        sa.Column("created_at", sa.String(24), nullable=False),
        sa.Column("policy", sa.Text(), nullable=True),
    )
    op.create_table(
        "api_keys",
        sa.Column("id", sa.String(26), primary_key=True),
        sa.Column("org_id", sa.String(26), sa.ForeignKey("orgs.id"), nullable=False),
        sa.Column("key_hash", sa.String(64), nullable=False, unique=True),
        sa.Column("prefix", sa.String(32), nullable=False),
        sa.Column("name", sa.String(256), nullable=True),
        sa.Column("created_at", sa.String(24), nullable=False),
        sa.Column("revoked_at", sa.String(24), nullable=True),
    )
    op.create_table(
        "chain_heads",
        sa.Column("org_id", sa.String(26), sa.ForeignKey("orgs.id"), primary_key=True),
        sa.Column("seq", sa.BigInteger(), nullable=False),
        sa.Column("hash", sa.String(64), nullable=False),
    )
    op.create_table(
        "events",
        sa.Column("id", sa.String(26), primary_key=True),
        sa.Column("org_id", sa.String(26), sa.ForeignKey("orgs.id"), nullable=False),
        sa.Column("seq", sa.BigInteger(), nullable=False),
        sa.Column("agent_id", sa.String(256), nullable=False),
        sa.Column("action", sa.String(256), nullable=False),
        sa.Column("session_id", sa.String(256), nullable=True),
        sa.Column("created_at", sa.String(24), nullable=False),
        sa.Column("data", sa.Text(), nullable=True),
        sa.Column("context", sa.Text(), nullable=True),
        sa.Column("reasoning", sa.Text(), nullable=True),
        sa.Column("risk_level", sa.String(8), nullable=False),
        sa.Column("pii_detected", sa.Boolean(), nullable=False),
        sa.Column("pii_fields", sa.Text(), nullable=False),
        sa.Column("secret_fields", sa.Text(), nullable=False),
        sa.Column("frameworks", sa.Text(), nullable=False),
        sa.Column("decision", sa.String(5), nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("payload_digest", sa.String(64), nullable=False),
        sa.Column("prev_hash", sa.String(64), nullable=False),
        sa.Column("hash", sa.String(64), nullable=False),
        sa.Column("idempotency_key", sa.String(256), nullable=True),
        sa.Column("erased_at", sa.String(24), nullable=True),
        sa.UniqueConstraint("org_id", "seq", name="uq_events_org_seq"),
    )
    op.create_index(
        "uq_events_org_idem",
        "events",
        ["org_id", "idempotency_key"],
        unique=True,
        sqlite_where=sa.text("idempotency_key IS NOT NULL"),
        postgresql_where=sa.text("idempotency_key IS NOT NULL"),
    )
    for column in ("agent_id", "action", "risk_level", "pii_detected", "decision", "session_id"):
        op.create_index(f"ix_events_org_{column}_seq", "events", ["org_id", column, "seq"])
    op.create_index("ix_events_org_created_at", "events", ["org_id", "created_at"])


def downgrade() -> None:
    op.drop_table("events")
    op.drop_table("chain_heads")
    op.drop_table("api_keys")
    op.drop_table("orgs")
