"""The keyslots of a group on a PostgreSQL server: a one-row table holding what the keys file
holds beside a data file (see `peerdesk.db.server_store`). Unused, and empty, in a data file.

Revision ID: 0016_server_keys
Revises: 0015_sealed_more
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op

revision = "0016_server_keys"
down_revision = "0015_sealed_more"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "server_keys",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("document", sa.Text(), nullable=False),
        sa.CheckConstraint("id = 1", name=op.f("ck_server_keys_one_row")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_server_keys")),
    )


def downgrade() -> None:
    op.drop_table("server_keys")
