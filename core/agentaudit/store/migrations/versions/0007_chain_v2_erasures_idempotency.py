"""Chain version 2, recorded erasures, idempotency keys bound to their request, bounded retention.

- `chain_version` (existing rows: 1) says which fields a row's hash covers (store/chain.py).
  Version-2 rows also chain their `kind`, the risk `rules` that fired (id and level) and
  `partial_scan`; the rules' `evidence` quotes the payload, so it enters the payload digest and
  is erased with it.
- `kind` "erasure" marks AgentAudit's own record of an erasure; an erased row's `erased_by` is
  the seq of that record. Rows erased before this revision keep `erased_by` empty (chain
  version 1 allows it; version 2 does not).
- `idempotency_digest`: what a key was first sent with; the same key with another request is
  refused (422) instead of silently answered with the first event.
- `retention_days` above 36,500 (accepted before, then overflowing `agentaudit purge`) is
  lowered to 36,500 in stored policies, so every stored policy still validates.

A downgrade leaves the columns in place: dropping them would break the chain of every row
written since (their hashes cover the kind, rules and evidence); code of 0006 ignores them and
its inserts take their defaults (chain version 1). Upgrading again adds only what is missing.

Revision ID: 0007
Revises: 0006
"""

import json

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

MAX_RETENTION_DAYS = 36_500  # models.MAX_RETENTION_DAYS when this revision was written


def _columns() -> list[sa.Column]:
    return [
        sa.Column("chain_version", sa.SmallInteger(), nullable=False, server_default="1"),
        sa.Column("kind", sa.String(16), nullable=False, server_default="call"),
        sa.Column("rules", sa.Text(), nullable=True),
        sa.Column("evidence", sa.Text(), nullable=True),
        sa.Column("partial_scan", sa.Boolean(), nullable=False, server_default=sa.false()),
        sa.Column("erased_by", sa.BigInteger(), nullable=True),
        sa.Column("idempotency_digest", sa.String(64), nullable=True),
    ]


def upgrade() -> None:
    conn = op.get_bind()
    present = {c["name"] for c in sa.inspect(conn).get_columns("events")}
    missing = [c for c in _columns() if c.name not in present]
    if missing:
        with op.batch_alter_table("events") as batch:
            for column in missing:
                batch.add_column(column)
    rows = conn.execute(sa.text("SELECT id, policy FROM orgs WHERE policy IS NOT NULL"))
    for org_id, text in rows.fetchall():
        policy = json.loads(text)
        days = policy.get("retention_days")
        if isinstance(days, int) and days > MAX_RETENTION_DAYS:
            policy["retention_days"] = MAX_RETENTION_DAYS
            conn.execute(
                sa.text("UPDATE orgs SET policy = :p WHERE id = :id"),
                {"p": json.dumps(policy), "id": org_id},
            )


def downgrade() -> None:
    """The columns stay (see above): the chain of the rows written since depends on them."""
