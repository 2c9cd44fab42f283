"""Graduate outcomes at 6 and 12 months, and the survey asking them

Revision ID: 0011_outcomes
Revises: 0010
Create Date: 2026-12-03 15:10:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0011_outcomes'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('graduate_outcomes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('learner_id', sa.Integer(), nullable=False),
    sa.Column('wave', sa.Integer(), nullable=False),
    sa.Column('situation', sa.Enum('employed_in_field', 'employed_elsewhere', 'studying', 'seeking',
                                   name='situation', native_enum=False, create_constraint=False,
                                   length=20), nullable=True),
    sa.Column('source', sa.Enum('learner', 'college', name='outcomesource', native_enum=False,
                                create_constraint=False, length=10), nullable=True),
    sa.Column('answered_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('survey', sa.String(length=10), nullable=True),
    sa.Column('survey_sent_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('wave IN (6, 12)', name=op.f('ck_graduate_outcomes_wave_months')),
    sa.ForeignKeyConstraint(['learner_id'], ['learners.id'], name=op.f('fk_graduate_outcomes_learner_id_learners'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_graduate_outcomes')),
    sa.UniqueConstraint('learner_id', 'wave', name=op.f('uq_graduate_outcomes_learner_id'))
    )
    with op.batch_alter_table('graduate_outcomes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_graduate_outcomes_learner_id'), ['learner_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_graduate_outcomes_situation'), ['situation'], unique=False)


def downgrade():
    with op.batch_alter_table('graduate_outcomes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_graduate_outcomes_situation'))
        batch_op.drop_index(batch_op.f('ix_graduate_outcomes_learner_id'))
    op.drop_table('graduate_outcomes')
