"""Terms of a training offer: fee, duration, mode, location

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-03 09:35:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('training_offers', schema=None) as batch_op:
        batch_op.add_column(sa.Column('fee_per_trainee', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('duration_weeks', sa.Integer(), nullable=True))
        batch_op.add_column(
            sa.Column(
                'mode',
                sa.Enum('in_person', 'online', 'blended', name='trainingmode',
                        native_enum=False, create_constraint=False, length=20),
                nullable=True,
            )
        )
        batch_op.add_column(sa.Column('location', sa.String(length=200), nullable=True))


def downgrade():
    with op.batch_alter_table('training_offers', schema=None) as batch_op:
        batch_op.drop_column('location')
        batch_op.drop_column('mode')
        batch_op.drop_column('duration_weeks')
        batch_op.drop_column('fee_per_trainee')
