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


# Plain ALTER TABLE, not batch mode: rebuilding `users` would drop the table that audit events
# refer to, and the append-only trail refuses what that does to them. SQLite has added and dropped
# a column like this one (no index, no constraint) in place since 3.35; SQLCipher 4.5 bundles later.


def upgrade() -> None:
    # Accounts made before this revision chose their own passwords: false for all of them.
    op.add_column(
        "users",
        sa.Column("must_change_secret", sa.Boolean(), nullable=False, server_default="0"),
    )


def downgrade() -> None:
    op.drop_column("users", "must_change_secret")
