"""What funders ask of a board report: the value of an hour of volunteer time, a rate the
organisation sets (in pence; none until it does), and the funder or project an activity's work
is for, so the report can split its figures by it. Existing groups get neither: nothing is
valued or split until a coordinator says so.

Revision ID: 0019_volunteer_rate
Revises: 0016_server_keys
Create Date: 2026-12-08
"""

import sqlalchemy as sa
from alembic import op

revision = "0019_volunteer_rate"
down_revision = "0018_people_indexes"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("organisations", sa.Column("volunteer_hour_pence", sa.Integer(), nullable=True))
    op.add_column("activities", sa.Column("funded_by", sa.String(length=200), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("activities") as batch:
        batch.drop_column("funded_by")
    with op.batch_alter_table("organisations") as batch:
        batch.drop_column("volunteer_hour_pence")
