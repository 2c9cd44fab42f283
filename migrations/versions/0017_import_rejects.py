"""Imports: the GPA scale of an upload, the rows an import skipped, GPA on one scale

Revision ID: 0017_import_rejects
Revises: 0016_training_orders
Create Date: 2026-12-03 15:10:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0017_import_rejects'
down_revision = '0016_training_orders'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('pending_imports', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('gpa_scale', sa.SmallInteger(), server_default='4', nullable=False)
        )
    op.create_table('import_rejects',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('token', sa.String(length=64), nullable=False),
    sa.Column('college_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('filename', sa.String(length=200), nullable=False),
    sa.Column('headers', sa.JSON(), nullable=False),
    sa.Column('rows', sa.JSON(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['college_id'], ['organizations.id'], name=op.f('fk_import_rejects_college_id_organizations'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_import_rejects_user_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_import_rejects')),
    sa.UniqueConstraint('token', name=op.f('uq_import_rejects_token'))
    )
    with op.batch_alter_table('import_rejects', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_import_rejects_college_id'), ['college_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_import_rejects_created_at'), ['created_at'], unique=False)
    # GPA is kept on the 4-point scale (imports convert a 10-point file). Before the scale
    # was chosen, an import took 0-10 as written: a value above 4 can only be a 10-point
    # one. (A value of 4 or below is left as it is: on a 10-point scale it would be a fail.)
    op.execute(sa.text("UPDATE learners SET gpa = ROUND(gpa * 0.4, 2) WHERE gpa > 4"))


def downgrade():
    with op.batch_alter_table('import_rejects', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_import_rejects_created_at'))
        batch_op.drop_index(batch_op.f('ix_import_rejects_college_id'))
    op.drop_table('import_rejects')
    with op.batch_alter_table('pending_imports', schema=None) as batch_op:
        batch_op.drop_column('gpa_scale')
