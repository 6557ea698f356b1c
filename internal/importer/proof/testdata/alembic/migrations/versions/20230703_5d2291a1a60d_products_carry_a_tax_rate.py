"""products carry a tax rate

Revision ID: 5d2291a1a60d
Revises: 3702948d1842
Create Date: 2023-07-03 11:02:45.903318

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '5d2291a1a60d'
down_revision = '3702948d1842'
branch_labels = None
depends_on = None


def upgrade():
    op.add_column('products', sa.Column('tax_rate_id', sa.Integer(), server_default='1', nullable=False))
    if op.get_context().dialect.name != 'sqlite':
        op.create_foreign_key('fk_products_tax_rate_id', 'products', 'tax_rates', ['tax_rate_id'], ['id'])
    # Seeds and plants are at the reduced rate.
    op.execute(
        "UPDATE products SET tax_rate_id = 2 WHERE category_id IN "
        "(SELECT id FROM categories WHERE slug IN ('garden', 'seeds'))"
    )


def downgrade():
    if op.get_context().dialect.name != 'sqlite':
        op.drop_constraint('fk_products_tax_rate_id', 'products', type_='foreignkey')
    op.drop_column('products', 'tax_rate_id')
