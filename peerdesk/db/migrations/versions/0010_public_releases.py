"""Public governance reports: the organisation's financial-year start (a public report may cover
a financial year) and `public_releases`, the ledger of every public table printed, which each new
public release is checked against.

Revision ID: 0010_public_releases
Revises: 0008_first_password
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op

revision = "0010_public_releases"
down_revision = "0009_list_indexes"
branch_labels = None
depends_on = None


# Plain ADD COLUMN, not batch mode: rebuilding `organisations` would drop a table that audit
# events refer to, which the append-only trail refuses (see 0008).


def upgrade() -> None:
    # Most UK charities' financial year starts on 1 April: existing groups get that.
    op.add_column(
        "organisations",
        sa.Column("financial_year_start_month", sa.Integer(), nullable=False, server_default="4"),
    )
    op.create_table(
        "public_releases",
        sa.Column("report_code", sa.String(length=40), nullable=False),
        sa.Column("table_key", sa.String(length=80), nullable=False),
        sa.Column("period_start", sa.Date(), nullable=False),
        sa.Column("period_end", sa.Date(), nullable=False),
        sa.Column("cells", sa.Text(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "period_end >= period_start", name=op.f("ck_public_releases_period_ends_after_start")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_public_releases")),
    )
    op.create_index(
        "ix_public_releases_table_period",
        "public_releases",
        ["table_key", "period_start", "period_end"],
    )
    op.create_index(
        op.f("ix_public_releases_report_code"), "public_releases", ["report_code"], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_public_releases_report_code"), table_name="public_releases")
    op.drop_index("ix_public_releases_table_period", table_name="public_releases")
    op.drop_table("public_releases")
    op.drop_column("organisations", "financial_year_start_month")
