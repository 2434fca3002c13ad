"""Policy history (issue 19, item 5): every policy change is a chained event, and every event
records the version of the policy that decided it.

- `orgs.policy_version`: the version of the organisation's policy in force, 0 until its first
  recorded change (the default policy, or the one set before this revision), then 1, 2, …
- `events.policy_version`: the version that decided the call (chain version 3 hashes it; rows
  written before keep their chain version and verify as they were hashed). A `policy_change`
  event carries the version it made.
- `policy_changes` (0020, the AI Act report's history) gains what a change records beside the
  new policy: its `version`, the `previous` policy, the `actor` (an API key, a dashboard
  session's key, a local user) and the chained event (`event_id`, `event_seq`). Rows written
  before this revision have no version. One version per organisation (unique index).

Revision ID: 0028
Revises: 0027
"""

import sqlalchemy as sa
from alembic import op

revision = "0028"
down_revision = "0027"
branch_labels = None
depends_on = None


INDEX = "uq_policy_changes_org_version"


def _add_missing(table: str, columns: list[sa.Column]) -> None:
    present = {c["name"] for c in sa.inspect(op.get_bind()).get_columns(table)}
    missing = [c for c in columns if c.name not in present]
    if missing:
        with op.batch_alter_table(table) as batch:
            for column in missing:
                batch.add_column(column)


def upgrade() -> None:
    _add_missing(
        "orgs", [sa.Column("policy_version", sa.Integer(), nullable=False, server_default="0")]
    )
    _add_missing("events", [sa.Column("policy_version", sa.Integer(), nullable=True)])
    _add_missing(
        "policy_changes",
        [
            sa.Column("version", sa.Integer(), nullable=True),
            sa.Column("previous", sa.Text(), nullable=True),
            sa.Column("actor", sa.Text(), nullable=True),
            sa.Column("event_id", sa.String(26), nullable=True),
            sa.Column("event_seq", sa.BigInteger(), nullable=True),
        ],
    )
    indexes = {i["name"] for i in sa.inspect(op.get_bind()).get_indexes("policy_changes")}
    if INDEX not in indexes:
        op.create_index(INDEX, "policy_changes", ["org_id", "version"], unique=True)


def downgrade() -> None:
    """`events.policy_version` stays: the hashes of the rows written since cover it."""
    op.drop_index(INDEX, table_name="policy_changes")
    with op.batch_alter_table("policy_changes") as batch:
        for column in ("event_seq", "event_id", "actor", "previous", "version"):
            batch.drop_column(column)
    with op.batch_alter_table("orgs") as batch:
        batch.drop_column("policy_version")
