"""The organisation's report-signing key: `report_signing_keys` holds its self-signed
certificate and its private key sealed with AES-GCM. The key itself is made when the organisation
is set up or, for data from before this revision, the first time a report is exported (making it
needs the data key, which a migration does not have).

Revision ID: 0011_report_signing
Revises: 0008_first_password
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op

revision = "0011_report_signing"
down_revision = "0010_public_releases"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "report_signing_keys",
        sa.Column("fingerprint", sa.String(length=64), nullable=False),
        sa.Column("certificate_pem", sa.Text(), nullable=False),
        sa.Column("sealed_private_key", sa.LargeBinary(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_report_signing_keys")),
        sa.UniqueConstraint("fingerprint", name=op.f("uq_report_signing_keys_fingerprint")),
    )


def downgrade() -> None:
    op.drop_table("report_signing_keys")
