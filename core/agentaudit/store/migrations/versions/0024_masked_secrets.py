"""Secrets masked in stored payloads (issue 24).

- `orgs.fingerprint_key`: each organisation's random key for the fingerprints of its masked
  secrets (`[SECRET:<type>:<fingerprint>]`, HMAC-SHA256; agentaudit/secret_mask.py). Existing
  organisations get one here.
- `events.masked_by`, `events.masked_digest`: a payload whose secrets were masked after it was
  stored (`agentaudit db mask-secrets`) points to the chained record of that masking and keeps
  the digest of the payload as masked, which the record lists; `verify` checks both.
- `ix_events_org_secrets_seq`: events whose classification named a secret type, for the
  dashboard's filter and counts by secret type and for mask-secrets (most events carry none,
  so the partial index stays small). It holds the types and the time too, so a filter's total
  and a period's counts are read from the index alone.

Nothing stored is rewritten: payloads stored before this revision keep their secrets until
`agentaudit db mask-secrets` is run. A downgrade drops the index and leaves the columns: the
masked rows' check depends on them (code of 0007 would report those rows as altered).

Revision ID: 0024
Revises: 0020
"""

import secrets

import sqlalchemy as sa
from alembic import op

revision = "0024"
down_revision = "0020"
branch_labels = None
depends_on = None

WITH_SECRETS = "secret_fields <> '[]'"  # _sql.WITH_SECRETS: queries repeat it word for word
INDEX = "ix_events_org_secrets_seq"


def upgrade() -> None:
    conn = op.get_bind()
    inspector = sa.inspect(conn)
    if "fingerprint_key" not in {c["name"] for c in inspector.get_columns("orgs")}:
        with op.batch_alter_table("orgs") as batch:
            batch.add_column(sa.Column("fingerprint_key", sa.String(64), nullable=True))
    present = {c["name"] for c in inspector.get_columns("events")}
    missing = [
        c
        for c in (
            sa.Column("masked_by", sa.BigInteger(), nullable=True),
            sa.Column("masked_digest", sa.String(64), nullable=True),
        )
        if c.name not in present
    ]
    if missing:
        with op.batch_alter_table("events") as batch:
            for column in missing:
                batch.add_column(column)
    if INDEX not in {i["name"] for i in sa.inspect(conn).get_indexes("events")}:
        op.create_index(
            INDEX,
            "events",
            ["org_id", "seq", "secret_fields", "created_at"],
            sqlite_where=sa.text(WITH_SECRETS),
            postgresql_where=sa.text(WITH_SECRETS),
        )
    orgs = conn.execute(sa.text("SELECT id FROM orgs WHERE fingerprint_key IS NULL")).fetchall()
    for (org_id,) in orgs:
        conn.execute(
            sa.text("UPDATE orgs SET fingerprint_key = :k WHERE id = :id"),
            {"k": secrets.token_bytes(32).hex(), "id": org_id},
        )


def downgrade() -> None:
    """The columns stay (see above); only the index goes."""
    op.drop_index(INDEX, table_name="events")
