"""Dashboard sign-in sessions in the database, so every server process shares them.

Only the SHA-256 of the session id is stored (the browser holds the id), with the organisation,
the hash of the API key used to sign in (revoking it ends the session) and the CSRF token.
Times are seconds since the epoch.

Revision ID: 0003
Revises: 0002
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "dashboard_sessions",
        sa.Column("id_hash", sa.String(64), primary_key=True),
        sa.Column("org_id", sa.String(26), sa.ForeignKey("orgs.id"), nullable=False),
        sa.Column("key_hash", sa.String(64), nullable=False),
        sa.Column("csrf", sa.String(64), nullable=False),
        sa.Column("created_at", sa.Float(), nullable=False),
        sa.Column("last_seen", sa.Float(), nullable=False),
    )
    op.create_index("ix_dashboard_sessions_last_seen", "dashboard_sessions", ["last_seen"])


def downgrade() -> None:
    op.drop_table("dashboard_sessions")
