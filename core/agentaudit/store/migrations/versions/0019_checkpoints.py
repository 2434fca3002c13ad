"""Signed checkpoints (issue 19): `checkpoints` holds each organisation's chain head as signed
(org, seq, hash, time) with an Ed25519 key kept outside the database (store/checkpoint.py).

A row is never updated; one per (org, seq, key), so server processes signing the same head
store it once. Revision ids follow the issue that added them (0020 and 0024 likewise), so this
one comes after 0024 although its number is lower.

Revision ID: 0019
Revises: 0024
"""

import sqlalchemy as sa
from alembic import op

revision = "0019"
down_revision = "0024"
branch_labels = None
depends_on = None


def upgrade() -> None:
    if "checkpoints" in sa.inspect(op.get_bind()).get_table_names():
        return
    op.create_table(
        "checkpoints",
        sa.Column("org_id", sa.String(26), sa.ForeignKey("orgs.id"), nullable=False),
        sa.Column("seq", sa.BigInteger(), nullable=False),
        sa.Column("hash", sa.String(64), nullable=False),
        sa.Column("signed_at", sa.String(24), nullable=False),
        sa.Column("key_id", sa.String(16), nullable=False),
        sa.Column("signature", sa.String(128), nullable=False),
        sa.PrimaryKeyConstraint("org_id", "seq", "key_id"),
    )


def downgrade() -> None:
    op.drop_table("checkpoints")
