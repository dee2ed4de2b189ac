"""Passwords and failed attempts live in the keyslots now (the keys file), not in the users table.

Revision ID: 0004_users_keyslots
Revises: 0003_audit_scrubbable
Create Date: 2026-11-26
"""

import sqlalchemy as sa
from alembic import op

revision = "0004_users_keyslots"
down_revision = "0003_audit_scrubbable"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("users") as batch:
        batch.drop_constraint(op.f("ck_users_failed_attempts_not_negative"), type_="check")
        batch.drop_column("password_hash")
        batch.drop_column("failed_attempts")
        batch.drop_column("locked_until")


def downgrade() -> None:
    with op.batch_alter_table("users") as batch:
        batch.add_column(sa.Column("locked_until", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(
            sa.Column("failed_attempts", sa.Integer(), nullable=False, server_default="0")
        )
        batch.add_column(sa.Column("password_hash", sa.String(length=255), nullable=True))
        batch.create_check_constraint("failed_attempts_not_negative", "failed_attempts >= 0")
