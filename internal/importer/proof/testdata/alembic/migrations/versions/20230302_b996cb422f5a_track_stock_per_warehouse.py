"""track stock per warehouse

Revision ID: b996cb422f5a
Revises: 8c23a86655e3
Create Date: 2023-03-02 17:31:40.876532

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b996cb422f5a'
down_revision = '8c23a86655e3'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'stock_levels',
        sa.Column('warehouse_id', sa.Integer(), nullable=False),
        sa.Column('product_id', sa.Integer(), nullable=False),
        sa.Column('on_hand', sa.Integer(), server_default='0', nullable=False),
        sa.Column('reserved', sa.Integer(), server_default='0', nullable=False),
        sa.ForeignKeyConstraint(['warehouse_id'], ['warehouses.id'], name='fk_stock_levels_warehouse_id'),
        sa.ForeignKeyConstraint(['product_id'], ['products.id'], name='fk_stock_levels_product_id', ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('warehouse_id', 'product_id', name='pk_stock_levels'),
    )


def downgrade():
    op.drop_table('stock_levels')
