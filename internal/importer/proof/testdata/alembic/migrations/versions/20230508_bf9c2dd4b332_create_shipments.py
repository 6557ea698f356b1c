"""create shipments

Revision ID: bf9c2dd4b332
Revises: d6ef283d2243
Create Date: 2023-05-08 11:47:05.338921

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'bf9c2dd4b332'
down_revision = 'd6ef283d2243'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'shipments',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('order_id', sa.Integer(), nullable=False),
        sa.Column('warehouse_id', sa.Integer(), nullable=False),
        sa.Column('shipped_at', sa.DateTime(), nullable=True),
        sa.Column('delivered_at', sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(['order_id'], ['orders.id'], name='fk_shipments_order_id', ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['warehouse_id'], ['warehouses.id'], name='fk_shipments_warehouse_id'),
        sa.PrimaryKeyConstraint('id', name='pk_shipments'),
    )
    op.create_index('ix_shipments_order_id', 'shipments', ['order_id'])


def downgrade():
    op.drop_table('shipments')
