"""Accent-free search columns on orders and learners

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-03 08:40:00

"""
from alembic import op
import sqlalchemy as sa

from matchhub.models._search import search_key


revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None

_TABLES = {'orders': ('title', 'description'), 'learners': ('full_name', 'cv_text')}


def upgrade():
    for table, names in _TABLES.items():
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(
                sa.Column('search_text', sa.Text(), nullable=False, server_default='')
            )
    # Existing rows: folded by the same normaliser the app writes them with.
    bind = op.get_bind()
    for table, names in _TABLES.items():
        t = sa.table(table, sa.column('id'), sa.column('search_text'),
                     *(sa.column(n) for n in names))
        rows = bind.execute(sa.select(t.c.id, *(t.c[n] for n in names))).all()
        if rows:
            bind.execute(
                t.update().where(t.c.id == sa.bindparam('rid')).values(
                    search_text=sa.bindparam('text')
                ),
                [{'rid': r[0], 'text': search_key(*r[1:])} for r in rows],
            )


def downgrade():
    for table in _TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column('search_text')
