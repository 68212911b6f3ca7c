"""unit report structures; the content of each draft version (for the summary of changes)

Revision ID: 0003
Revises: 0002
"""
import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("drafts") as b:
        b.add_column(sa.Column("content", sa.JSON(), nullable=False, server_default=sa.text("'{}'")))
    op.create_table(
        "unit_templates",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("period_kind", sa.String(length=16), nullable=False),
        sa.Column("outline", sa.Text(), nullable=False),
        sa.Column("source", sa.String(length=32), nullable=False),
        sa.Column("updated_by", sa.Integer(), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["unit_id"], ["units.id"]),
        sa.ForeignKeyConstraint(["updated_by"], ["officers.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("unit_id", "period_kind"),
    )


def downgrade() -> None:
    op.drop_table("unit_templates")
    with op.batch_alter_table("drafts") as b:
        b.drop_column("content")
