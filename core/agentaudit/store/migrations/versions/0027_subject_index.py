"""The data-subject index (issue 19, item 4): which events carry a person's identifier.

`subject_index` holds, for each identifier the classifier found in a stored call (e-mail,
phone, IBAN, card, national id, …), a keyed hash of its normalised value (HMAC-SHA256 with a
key derived from the organisation's `fingerprint_key`; agentaudit/subjects.py) with the PII
type and the event's seq. Never the value itself. Rows are written in the same transaction as
their event; a subject erasure deletes the rows of the value it erased.

Events stored before this revision have no rows: `agentaudit db index-subjects` adds them from
the stored payloads (idempotent: the primary key makes a second run add nothing).

Revision ID: 0027
Revises: 0019
"""

import sqlalchemy as sa
from alembic import op

revision = "0027"
down_revision = "0026"
branch_labels = None
depends_on = None


def upgrade() -> None:
    if "subject_index" in sa.inspect(op.get_bind()).get_table_names():
        return
    op.create_table(
        "subject_index",
        sa.Column("org_id", sa.String(26), nullable=False),
        sa.Column("value_hash", sa.String(32), nullable=False),
        sa.Column("pii_type", sa.String(32), nullable=False),
        sa.Column("seq", sa.BigInteger(), nullable=False),
        # one lookup (org, hash) reads every event of a value in seq order from the key alone
        sa.PrimaryKeyConstraint("org_id", "value_hash", "seq", "pii_type"),
        sqlite_with_rowid=False,
    )


def downgrade() -> None:
    op.drop_table("subject_index")
