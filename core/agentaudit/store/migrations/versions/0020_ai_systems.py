"""The AI Act register: AI systems per organisation, and the history of policy changes.

`ai_systems` holds what a deployer records of each AI system it runs (AI Act Art. 26/27/49):
its classification, Annex III area, contract and FRIA state, review dates, and the agent-id
patterns that link events to it. The link is computed when read (events carry no system id),
so registering or re-pattering a system applies to the whole trail and the write path of events
is untouched. A system is never deleted, only deactivated, so past reports still name it.

`policy_changes` keeps every version of an organisation's policy with when and through what it
was set, for the AI Act report's policy history (Art. 12/14: which oversight rules were in force
when).

Revision ID: 0020
Revises: 0007
"""

import sqlalchemy as sa
from alembic import op

revision = "0020"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "ai_systems",
        sa.Column("id", sa.String(26), primary_key=True),
        sa.Column("org_id", sa.String(26), sa.ForeignKey("orgs.id"), nullable=False),
        sa.Column("name", sa.String(256), nullable=False),
        sa.Column("vendor", sa.String(256), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("use_case", sa.Text(), nullable=False),
        sa.Column("owner", sa.String(256), nullable=False),
        sa.Column("agent_id_patterns", sa.Text(), nullable=False),  # a JSON list
        sa.Column("risk_classification", sa.String(16), nullable=False),
        sa.Column("classification_rationale", sa.Text(), nullable=False),
        sa.Column("annex_iii_category", sa.String(32), nullable=True),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("contract_has_ai_annex", sa.Boolean(), nullable=False),
        sa.Column("provider_obligations_documented", sa.Boolean(), nullable=False),
        sa.Column("contract_notes", sa.Text(), nullable=False),
        sa.Column("contract_last_reviewed", sa.String(24), nullable=True),
        sa.Column("fria_status", sa.String(16), nullable=False),
        sa.Column("fria_completed_at", sa.String(24), nullable=True),
        sa.Column("fria_next_review", sa.String(24), nullable=True),
        sa.Column("last_reviewed_at", sa.String(24), nullable=True),
        sa.Column("next_review_date", sa.String(24), nullable=True),
        sa.Column("is_active", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.String(24), nullable=False),
        sa.Column("updated_at", sa.String(24), nullable=False),
    )
    op.create_index("ix_ai_systems_org_active", "ai_systems", ["org_id", "is_active", "id"])
    op.create_table(
        "policy_changes",
        sa.Column("id", sa.String(26), primary_key=True),
        sa.Column("org_id", sa.String(26), sa.ForeignKey("orgs.id"), nullable=False),
        sa.Column("changed_at", sa.String(24), nullable=False),
        sa.Column("source", sa.String(64), nullable=False),
        sa.Column("policy", sa.Text(), nullable=False),
    )
    op.create_index("ix_policy_changes_org", "policy_changes", ["org_id", "changed_at"])


def downgrade() -> None:
    op.drop_table("policy_changes")
    op.drop_table("ai_systems")
