"""History of taxonomy merges, with what each rewrote, so that one can be undone

Revision ID: 0012_merge_history
Revises: 0011_outcomes
Create Date: 2026-12-03 15:10:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0012_merge_history'
down_revision = '0011_outcomes'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('skill_merges',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('source_id', sa.Integer(), nullable=False),
    sa.Column('target_id', sa.Integer(), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('counts', sa.JSON(), nullable=False),
    sa.Column('journal', sa.JSON(), nullable=False),
    sa.Column('undone_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('undone_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['actor_id'], ['users.id'], name=op.f('fk_skill_merges_actor_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['source_id'], ['skills.id'], name=op.f('fk_skill_merges_source_id_skills'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['target_id'], ['skills.id'], name=op.f('fk_skill_merges_target_id_skills'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['undone_by_id'], ['users.id'], name=op.f('fk_skill_merges_undone_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_skill_merges'))
    )
    with op.batch_alter_table('skill_merges', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_skill_merges_source_id'), ['source_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_skill_merges_target_id'), ['target_id'], unique=False)


def downgrade():
    with op.batch_alter_table('skill_merges', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_skill_merges_target_id'))
        batch_op.drop_index(batch_op.f('ix_skill_merges_source_id'))
    op.drop_table('skill_merges')
