"""products belong to a category

Revision ID: 73708bf3a146
Revises: cf539068f8d0
Create Date: 2023-02-07 10:48:31.925546

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '73708bf3a146'
down_revision = 'cf539068f8d0'
branch_labels = None
depends_on = None


def upgrade():
    op.add_column('products', sa.Column('category_id', sa.Integer(), nullable=True))
    op.create_index('ix_products_category_id', 'products', ['category_id'])
    if op.get_context().dialect.name != 'sqlite':
        # SQLite cannot add a constraint to an existing table; the
        # column is checked by the application there.
        op.create_foreign_key('fk_products_category_id', 'products', 'categories', ['category_id'], ['id'])


def downgrade():
    if op.get_context().dialect.name != 'sqlite':
        op.drop_constraint('fk_products_category_id', 'products', type_='foreignkey')
    op.drop_index('ix_products_category_id', table_name='products')
    op.drop_column('products', 'category_id')
