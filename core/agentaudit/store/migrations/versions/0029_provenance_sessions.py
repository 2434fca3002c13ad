"""Provenance sessions shared by every server process (issue 25, item 5).

`provenance_values` holds, per organisation and session, what the session's tool results showed
(docs/provenance.md): keyed hashes (64-bit BLAKE2b under a key derived from the organisation's
`fingerprint_key`; provenance/shared.py) of the values untrusted results planted and trusted
sources vouched for, with the source event id and tool; the latest instruction-bearing result;
the calls that read a file from an outside path. Never a value itself. Each row expires
(`expires_at`, the policy's session TTL after it was read) and is swept by the writers; a
session keeps at most the policy's `max_values_per_session` of each kind.

A call is judged with one query on the primary key (org, session, value hash = ANY(…)).
Self-contained: it creates its own table only.

Revision ID: 0029
Revises: 0028
"""

import sqlalchemy as sa
from alembic import op

revision = "0029"
down_revision = "0028"
branch_labels = None
depends_on = None


def upgrade() -> None:
    bind = op.get_bind()
    if "provenance_values" in sa.inspect(bind).get_table_names():
        return
    op.create_table(
        "provenance_values",
        sa.Column("org_id", sa.String(26), nullable=False),
        sa.Column("session_hash", sa.BigInteger(), nullable=False),
        sa.Column("value_hash", sa.BigInteger(), nullable=False),
        # 0 planted by untrusted content, 1 vouched for, 2 the latest instruction, 3 a call
        # that read an outside path
        sa.Column("kind", sa.SmallInteger(), nullable=False),
        sa.Column("at", sa.Float(), nullable=False),  # epoch seconds it was read
        sa.Column("expires_at", sa.Float(), nullable=False),
        sa.Column("event_id", sa.String(26), nullable=True),  # the source result event
        sa.Column("tool", sa.String(256), nullable=True),
        sa.Column("correspondent", sa.Boolean(), nullable=False, server_default=sa.false()),
        sa.Column("instructed", sa.Boolean(), nullable=False, server_default=sa.false()),
        sa.PrimaryKeyConstraint("org_id", "session_hash", "value_hash", "kind"),
        sqlite_with_rowid=False,
    )
    op.create_index("provenance_values_expiry", "provenance_values", ["expires_at"])


def downgrade() -> None:
    op.drop_index("provenance_values_expiry", table_name="provenance_values")
    op.drop_table("provenance_values")
