"""Messages on applications between HR and the candidate

Revision ID: 0014_messages
Revises: 0013_saved_alerts
Create Date: 2026-12-03 15:05:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0014_messages'
down_revision = '0013_saved_alerts'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('application_messages',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('application_id', sa.Integer(), nullable=False),
    sa.Column('side', sa.Enum('enterprise', 'learner', name='side', native_enum=False,
                              create_constraint=False, length=20), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('read_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['application_id'], ['applications.id'], name=op.f('fk_application_messages_application_id_applications'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['author_id'], ['users.id'], name=op.f('fk_application_messages_author_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_application_messages'))
    )
    op.create_index('ix_application_messages_unread', 'application_messages', ['application_id', 'side', 'read_at'], unique=False)


def downgrade():
    op.drop_index('ix_application_messages_unread', table_name='application_messages')
    op.drop_table('application_messages')
