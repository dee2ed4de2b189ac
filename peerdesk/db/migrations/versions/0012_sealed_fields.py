"""Keys by role: each account's public key, the coordinators' group key and its grants.

The confidential values already stored are sealed at the first coordinator's sign-in after
this upgrade, not here: sealing needs the group key, and the group key can only be given to a
coordinator once their password has unwrapped their new personal key (see docs/keys.md).

Revision ID: 0012_sealed_fields
Revises: 0008_first_password
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op

revision = "0012_sealed_fields"
down_revision = "0011_report_signing"
branch_labels = None
depends_on = None

# Plain ALTER TABLE on `users`, not batch mode: rebuilding it would trip the append-only audit
# trail that refers to it (as in 0008).


def upgrade() -> None:
    inspector = sa.inspect(op.get_bind())
    if "group_keys" in inspector.get_table_names():
        return  # stepped back earlier (see downgrade): the keys are still here
    op.add_column("users", sa.Column("public_key", sa.LargeBinary(32), nullable=True))
    op.add_column("users", sa.Column("escrowed_key", sa.Text(), nullable=True))
    op.create_table(
        "group_keys",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("group_name", sa.String(40), nullable=False),
        sa.Column("public_key", sa.LargeBinary(32), nullable=False),
        sa.Column("retired_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_group_keys")),
    )
    op.create_table(
        "group_key_grants",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("group_key_id", sa.Uuid(), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=True),
        sa.Column("sealed_private_key", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["group_key_id"],
            ["group_keys.id"],
            name=op.f("fk_group_key_grants_group_key_id_group_keys"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_group_key_grants_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_group_key_grants")),
        sa.UniqueConstraint(
            "group_key_id", "user_id", name=op.f("uq_group_key_grants_group_key_id_user_id")
        ),
    )
    op.create_index("ix_group_key_grants_group_key_id", "group_key_grants", ["group_key_id"])
    op.create_index("ix_group_key_grants_user_id", "group_key_grants", ["user_id"])


def downgrade() -> None:
    """Once a group key exists nothing is dropped: the group key and the personal keys are the way to
    the values sealed with them, so dropping them here would lose that data for good. An older
    peerdesk ignores the extra tables and columns (and shows sealed values as sealed text);
    upgrading again finds them and carries on."""
    if not op.get_bind().execute(sa.text("SELECT count(*) FROM group_keys")).scalar():
        op.drop_index("ix_group_key_grants_user_id", "group_key_grants")
        op.drop_index("ix_group_key_grants_group_key_id", "group_key_grants")
        op.drop_table("group_key_grants")
        op.drop_table("group_keys")
        op.drop_column("users", "escrowed_key")
        op.drop_column("users", "public_key")
