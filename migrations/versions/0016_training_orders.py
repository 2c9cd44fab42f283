"""Training orders' own terms (duration, budget per trainee) and how learners enrol in
the training a college agreed to deliver

Revision ID: 0016_training_orders
Revises: 0015_interviews_offers
Create Date: 2026-12-03 15:10:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0016_training_orders'
down_revision = '0015_interviews_offers'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('orders', schema=None) as batch_op:
        batch_op.add_column(sa.Column('duration_weeks', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('budget_per_trainee', sa.BigInteger(), nullable=True))
    with op.batch_alter_table('training_offers', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('enrolment', sa.Text(), nullable=False, server_default='')
        )


def downgrade():
    with op.batch_alter_table('training_offers', schema=None) as batch_op:
        batch_op.drop_column('enrolment')
    with op.batch_alter_table('orders', schema=None) as batch_op:
        batch_op.drop_column('budget_per_trainee')
        batch_op.drop_column('duration_weeks')
