"""units hierarchy calendar (deadlines, reminder lead time), officers' reminder mute, reminders sent

Revision ID: 0005
Revises: 0004
"""
from alembic import op
import sqlalchemy as sa


revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("units") as t:
        t.add_column(sa.Column("report_kinds", sa.String(length=40), server_default="tuan,thang", nullable=False))
        t.add_column(sa.Column("deadline_weekday", sa.Integer(), server_default="3", nullable=False))
        t.add_column(sa.Column("deadline_month_day", sa.Integer(), server_default="15", nullable=False))
        t.add_column(sa.Column("deadline_time", sa.String(length=5), server_default="15:00", nullable=False))
        t.add_column(sa.Column("remind_hours", sa.Integer(), server_default="24", nullable=False))
        t.create_index("ix_units_parent_id", ["parent_id"])
    with op.batch_alter_table("officers") as t:
        t.add_column(sa.Column("reminders_muted", sa.Boolean(), server_default=sa.false(), nullable=False))
    with op.batch_alter_table("reports") as t:
        t.create_index("ix_reports_period_id", ["period_id"])
    op.create_table(
        "reminders_sent",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("officer_id", sa.Integer(), nullable=False),
        sa.Column("period_kind", sa.String(length=16), nullable=False),
        sa.Column("period_start", sa.Date(), nullable=False),
        sa.Column("period_end", sa.Date(), nullable=False),
        sa.Column("channel", sa.String(length=16), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["officer_id"], ["officers.id"]),
        sa.ForeignKeyConstraint(["unit_id"], ["units.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("kind", "unit_id", "officer_id", "period_kind", "period_start"),
    )


def downgrade() -> None:
    op.drop_table("reminders_sent")
    with op.batch_alter_table("reports") as t:
        t.drop_index("ix_reports_period_id")
    with op.batch_alter_table("officers") as t:
        t.drop_column("reminders_muted")
    with op.batch_alter_table("units") as t:
        t.drop_index("ix_units_parent_id")
        for name in ("remind_hours", "deadline_time", "deadline_month_day", "deadline_weekday", "report_kinds"):
            t.drop_column(name)
