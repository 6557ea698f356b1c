"""create daily sales report

Revision ID: 316e24f53874
Revises: d9f1aef6d41a
Create Date: 2023-05-09 16:02:48.220734

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '316e24f53874'
down_revision = 'd9f1aef6d41a'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'sales_daily',
        sa.Column('day', sa.Date(), nullable=False),
        sa.Column('warehouse_id', sa.Integer(), nullable=False),
        sa.Column('orders_count', sa.Integer(), server_default='0', nullable=False),
        sa.Column('revenue', sa.Numeric(precision=14, scale=2), server_default='0', nullable=False),
        sa.Column('computed_at', sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(['warehouse_id'], ['warehouses.id'], name='fk_sales_daily_warehouse_id'),
        sa.PrimaryKeyConstraint('day', 'warehouse_id', name='pk_sales_daily'),
    )


def downgrade():
    op.drop_table('sales_daily')
