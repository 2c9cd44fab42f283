"""Background jobs: failed in-process jobs; the invitation state of imported learners

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-03 07:45:00

Learners imported before this revision and still unclaimed had their invitation only
written to the log: they become "later" (the college can send real ones from the
import page) or "held" while their college is not verified yet.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('failed_jobs',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('func', sa.String(length=200), nullable=False),
    sa.Column('summary', sa.String(length=200), nullable=False),
    sa.Column('args', sa.JSON(), nullable=True),
    sa.Column('error', sa.String(length=500), nullable=False),
    sa.Column('failed_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_failed_jobs'))
    )
    with op.batch_alter_table('failed_jobs', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_failed_jobs_failed_at'), ['failed_at'], unique=False)

    with op.batch_alter_table('learners', schema=None) as batch_op:
        batch_op.add_column(sa.Column('invitation', sa.String(length=10), nullable=True))
        batch_op.add_column(sa.Column('invited_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.create_index(batch_op.f('ix_learners_invitation'), ['invitation'], unique=False)

    op.execute(
        "UPDATE learners SET invitation = CASE WHEN college_id IN "
        "(SELECT id FROM organizations WHERE state = 'verified') THEN 'later' ELSE 'held' END "
        "WHERE claim_code IS NOT NULL AND user_id IS NULL AND email IS NOT NULL"
    )


def downgrade():
    with op.batch_alter_table('learners', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_learners_invitation'))
        batch_op.drop_column('invited_at')
        batch_op.drop_column('invitation')

    with op.batch_alter_table('failed_jobs', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_failed_jobs_failed_at'))

    op.drop_table('failed_jobs')
