"""units' own indicators ("chỉ tiêu riêng") and the unit's revision of them

Revision ID: 0006
Revises: 0005
"""
from alembic import op
import sqlalchemy as sa


revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("units") as t:
        t.add_column(sa.Column("indicators_revision", sa.Integer(), server_default="0", nullable=False))
    op.create_table(
        "unit_indicators",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("measure", sa.String(length=30), nullable=False),
        sa.Column("section", sa.String(length=32), nullable=False),
        sa.Column("parent", sa.String(length=96), nullable=True),
        sa.Column("kind", sa.String(length=16), server_default="flow", nullable=False),
        sa.Column("aliases", sa.JSON(), nullable=False),
        sa.Column("created_by", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["created_by"], ["officers.id"]),
        sa.ForeignKeyConstraint(["unit_id"], ["units.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("unit_id", "code"),
    )


def downgrade() -> None:
    op.drop_table("unit_indicators")
    with op.batch_alter_table("units") as t:
        t.drop_column("indicators_revision")
