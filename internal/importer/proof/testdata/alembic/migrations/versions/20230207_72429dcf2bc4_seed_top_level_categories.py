"""seed top-level categories

Revision ID: 72429dcf2bc4
Revises: 73708bf3a146
Create Date: 2023-02-07 15:22:10.003841

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '72429dcf2bc4'
down_revision = '73708bf3a146'
branch_labels = None
depends_on = None

categories = sa.table(
    'categories',
    sa.column('id', sa.Integer),
    sa.column('name', sa.String),
    sa.column('parent_id', sa.Integer),
)


def upgrade():
    op.bulk_insert(
        categories,
        [
            {'id': 1, 'name': 'Kitchen', 'parent_id': None},
            {'id': 2, 'name': 'Garden', 'parent_id': None},
            {'id': 3, 'name': 'Tools', 'parent_id': None},
            {'id': 4, 'name': 'Cookware', 'parent_id': 1},
            {'id': 5, 'name': "Chef's Knives", 'parent_id': 1},
            {'id': 6, 'name': 'Hand Tools', 'parent_id': 3},
        ],
    )


def downgrade():
    # children first: MySQL checks the self-reference row by row
    op.execute('DELETE FROM categories WHERE id BETWEEN 1 AND 6 AND parent_id IS NOT NULL')
    op.execute('DELETE FROM categories WHERE id BETWEEN 1 AND 6')
