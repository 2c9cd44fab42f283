"""Email confirmation: users.email_confirmed_at

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-03 09:05:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('email_confirmed_at', sa.DateTime(timezone=True), nullable=True))
    # Accounts that exist already were let in without confirmation: they count as confirmed
    # (from when they were created), so nobody is locked out by the upgrade.
    users = sa.table('users', sa.column('email_confirmed_at'), sa.column('created_at'))
    op.execute(users.update().values(email_confirmed_at=users.c.created_at))


def downgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('email_confirmed_at')
