"""link suppliers to products

Revision ID: abc9606d6b60
Revises: 1cc13e3288de
Create Date: 2023-08-09 10:05:48.509117

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'abc9606d6b60'
down_revision = '1cc13e3288de'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'supplier_products',
        sa.Column('supplier_id', sa.Integer(), nullable=False),
        sa.Column('product_id', sa.Integer(), nullable=False),
        sa.Column('supplier_sku', sa.String(length=40), nullable=True),
        sa.Column('cost', sa.Numeric(precision=10, scale=2), nullable=False),
        sa.Column('preferred', sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.ForeignKeyConstraint(['supplier_id'], ['suppliers.id'], name='fk_supplier_products_supplier_id', ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['product_id'], ['products.id'], name='fk_supplier_products_product_id', ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('supplier_id', 'product_id', name='pk_supplier_products'),
    )


def downgrade():
    op.drop_table('supplier_products')
