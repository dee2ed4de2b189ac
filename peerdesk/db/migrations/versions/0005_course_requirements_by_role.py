"""The compliance matrix looks up which courses a role needs: index course_requirements by role
(without it SQLite builds a temporary index on every query).

Revision ID: 0005_course_requirements_by_role
Revises: 0004_users_keyslots
Create Date: 2026-11-26
"""

from alembic import op

revision = "0005_course_requirements_by_role"
down_revision = "0004_users_keyslots"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index(
        op.f("ix_course_requirements_role_id"), "course_requirements", ["role_id"], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_course_requirements_role_id"), table_name="course_requirements")
