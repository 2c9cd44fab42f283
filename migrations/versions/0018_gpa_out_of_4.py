"""GPA out of 4: the learners' CHECK constraint allows 0-4 (it allowed 0-10)

Since 0017_import_rejects GPA is stored on the 4-point scale (imports convert a 10-point
file, x 0.4, and 0017 converted the values above 4 already there), so the database
refuses what the application never writes. SQLite cannot alter a constraint: batch mode
copies the table; PostgreSQL drops and adds it.

Revision ID: 0018_gpa_out_of_4
Revises: 0017_import_rejects
Create Date: 2026-12-03 18:30:00

"""
from alembic import op


revision = '0018_gpa_out_of_4'
down_revision = '0017_import_rejects'
branch_labels = None
depends_on = None

NAME = 'ck_learners_gpa_range'


def _range(high: int) -> None:
    with op.batch_alter_table('learners', schema=None) as batch_op:
        batch_op.drop_constraint(op.f(NAME), type_='check')
        batch_op.create_check_constraint(
            op.f(NAME), f'gpa IS NULL OR (gpa >= 0 AND gpa <= {high})'
        )


def upgrade():
    _range(4)


def downgrade():
    _range(10)
