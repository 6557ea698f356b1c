"""add barcode to products

Revision ID: 59490f080e4b
Revises: 9842d8ca8bd8
Create Date: 2024-01-15 13:41:52.370096

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '59490f080e4b'
down_revision = '9842d8ca8bd8'
branch_labels = None
depends_on = None


def upgrade():
    op.add_column('products', sa.Column('gtin', sa.String(length=14), nullable=True))
    op.create_index('ix_products_gtin', 'products', ['gtin'], unique=True)


def downgrade():
    op.drop_index('ix_products_gtin', table_name='products')
    op.drop_column('products', 'gtin')
