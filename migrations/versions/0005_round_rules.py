"""Eligibility rules of an allocation round

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-03 08:00:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('allocation_rounds', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('rules', sa.JSON(), nullable=False, server_default=sa.text("'{}'"))
        )


def downgrade():
    with op.batch_alter_table('allocation_rounds', schema=None) as batch_op:
        batch_op.drop_column('rules')
