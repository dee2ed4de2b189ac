"""The rota's policy and cover offers: which eligibility reasons block an assignment (the rest
only warn), and which cover request an offer to take a shift answers.

Revision ID: 0006_rota_policies
Revises: 0005_course_requirements_by_role
Create Date: 2026-11-26
"""

import sqlalchemy as sa
from alembic import op

revision = "0006_rota_policies"
down_revision = "0005_course_requirements_by_role"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "rota_policies",
        sa.Column("reason", sa.String(length=40), nullable=False),
        sa.Column("blocks", sa.Boolean(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_rota_policies")),
        sa.UniqueConstraint("reason", name=op.f("uq_rota_policies_reason")),
    )
    with op.batch_alter_table("assignments") as batch:
        batch.add_column(sa.Column("covering_id", sa.Uuid(), nullable=True))
        batch.create_foreign_key(
            op.f("fk_assignments_covering_id_assignments"),
            "assignments",
            ["covering_id"],
            ["id"],
            ondelete="SET NULL",
        )
        batch.create_index(op.f("ix_assignments_covering_id"), ["covering_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("assignments") as batch:
        batch.drop_index(op.f("ix_assignments_covering_id"))
        batch.drop_constraint(op.f("fk_assignments_covering_id_assignments"), type_="foreignkey")
        batch.drop_column("covering_id")
    op.drop_table("rota_policies")
