"""Learners' saved openings and weekly alerts of new matches

Revision ID: 0013_saved_alerts
Revises: 0012_merge_history
Create Date: 2026-12-03 15:10:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0013_saved_alerts'
down_revision = '0012_merge_history'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('saved_orders',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('learner_id', sa.Integer(), nullable=False),
    sa.Column('order_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['learner_id'], ['learners.id'], name=op.f('fk_saved_orders_learner_id_learners'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['order_id'], ['orders.id'], name=op.f('fk_saved_orders_order_id_orders'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_saved_orders')),
    sa.UniqueConstraint('learner_id', 'order_id', name=op.f('uq_saved_orders_learner_id'))
    )
    with op.batch_alter_table('saved_orders', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_saved_orders_learner_id'), ['learner_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_saved_orders_order_id'), ['order_id'], unique=False)

    op.create_table('alert_subscriptions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('learner_id', sa.Integer(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('min_score', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('job', 'internship', 'training', name='orderkind',
                              native_enum=False, create_constraint=False, length=20), nullable=True),
    sa.Column('checked_until', sa.DateTime(timezone=True), nullable=False),
    sa.Column('last_week', sa.String(length=8), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('min_score BETWEEN 0 AND 100', name=op.f('ck_alert_subscriptions_min_score_range')),
    sa.ForeignKeyConstraint(['learner_id'], ['learners.id'], name=op.f('fk_alert_subscriptions_learner_id_learners'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_alert_subscriptions')),
    sa.UniqueConstraint('learner_id', name=op.f('uq_alert_subscriptions_learner_id'))
    )

    op.create_table('alerts_sent',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('learner_id', sa.Integer(), nullable=False),
    sa.Column('order_id', sa.Integer(), nullable=False),
    sa.Column('week', sa.String(length=8), nullable=False),
    sa.Column('score', sa.Integer(), nullable=False),
    sa.Column('sent_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['learner_id'], ['learners.id'], name=op.f('fk_alerts_sent_learner_id_learners'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['order_id'], ['orders.id'], name=op.f('fk_alerts_sent_order_id_orders'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_alerts_sent')),
    sa.UniqueConstraint('learner_id', 'order_id', name=op.f('uq_alerts_sent_learner_id'))
    )
    with op.batch_alter_table('alerts_sent', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_alerts_sent_learner_id'), ['learner_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_alerts_sent_order_id'), ['order_id'], unique=False)


def downgrade():
    with op.batch_alter_table('alerts_sent', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_alerts_sent_order_id'))
        batch_op.drop_index(batch_op.f('ix_alerts_sent_learner_id'))
    op.drop_table('alerts_sent')
    op.drop_table('alert_subscriptions')
    with op.batch_alter_table('saved_orders', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_saved_orders_order_id'))
        batch_op.drop_index(batch_op.f('ix_saved_orders_learner_id'))
    op.drop_table('saved_orders')
