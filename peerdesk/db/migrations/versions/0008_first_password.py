"""A password a coordinator hands over is only for the first sign-in: `users.must_change_secret`
makes the person choose their own before anything else.

Revision ID: 0008_first_password
Revises: 0007_sessions
Create Date: 2026-11-27
"""

import sqlalchemy as sa
from alembic import op

revision = "0008_first_password"
down_revision = "0007_sessions"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Accounts made before this revision chose their own passwords: false for all of them.
    with op.batch_alter_table("users") as batch:
        batch.add_column(
            sa.Column("must_change_secret", sa.Boolean(), nullable=False, server_default="0")
        )


def downgrade() -> None:
    with op.batch_alter_table("users") as batch:
        batch.drop_column("must_change_secret")
