"""create order items

Revision ID: a5a188d477d9
Revises: 1ee803dfc292
Create Date: 2023-01-12 11:20:53.771930

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'a5a188d477d9'
down_revision = '1ee803dfc292'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'order_items',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('order_id', sa.Integer(), nullable=False),
        sa.Column('product_id', sa.Integer(), nullable=False),
        sa.Column('quantity', sa.Integer(), server_default='1', nullable=False),
        sa.Column('unit_price', sa.Numeric(precision=10, scale=2), nullable=False),
        sa.ForeignKeyConstraint(['order_id'], ['orders.id'], name='fk_order_items_order_id', ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['product_id'], ['products.id'], name='fk_order_items_product_id'),
        sa.PrimaryKeyConstraint('id', name='pk_order_items'),
    )


def downgrade():
    op.drop_table('order_items')
