"""reporting: report content revision and submitter, the revision a draft shows, a unit's self-approval setting

Revision ID: 0002
Revises: 0001
"""
import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("reports") as b:
        b.add_column(sa.Column("revision", sa.Integer(), nullable=False, server_default=sa.text("0")))
        b.add_column(sa.Column("submitted_by", sa.Integer(), nullable=True))
        b.create_foreign_key("fk_reports_submitted_by", "officers", ["submitted_by"], ["id"])
    with op.batch_alter_table("drafts") as b:
        b.add_column(sa.Column("report_revision", sa.Integer(), nullable=True))
    with op.batch_alter_table("units") as b:
        b.add_column(sa.Column("self_approval", sa.Boolean(), nullable=False, server_default=sa.false()))


def downgrade() -> None:
    with op.batch_alter_table("units") as b:
        b.drop_column("self_approval")
    with op.batch_alter_table("drafts") as b:
        b.drop_column("report_revision")
    with op.batch_alter_table("reports") as b:
        b.drop_constraint("fk_reports_submitted_by", type_="foreignkey")
        b.drop_column("submitted_by")
        b.drop_column("revision")
