"""create categories

Revision ID: cf539068f8d0
Revises: 89616caf0df4
Create Date: 2023-02-06 13:07:45.190377

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'cf539068f8d0'
down_revision = '89616caf0df4'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'categories',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('name', sa.String(length=80), nullable=False),
        sa.Column('parent_id', sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(['parent_id'], ['categories.id'], name='fk_categories_parent_id'),
        sa.PrimaryKeyConstraint('id', name='pk_categories'),
    )


def downgrade():
    op.drop_table('categories')
