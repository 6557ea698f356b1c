"""index orders by customer and date

The order list of the account page filters by customer and sorts by date.

Revision ID: 155d6da448c1
Revises: a5a188d477d9
Create Date: 2023-01-19 16:55:02.310448

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '155d6da448c1'
down_revision = 'a5a188d477d9'
branch_labels = None
depends_on = None


def upgrade():
    op.create_index('ix_orders_customer_id_placed_at', 'orders', ['customer_id', 'placed_at'])


def downgrade():
    if op.get_context().dialect.name == 'mysql':
        # MySQL let the foreign key use this index and dropped its own.
        op.create_index('ix_orders_customer_id', 'orders', ['customer_id'])
    op.drop_index('ix_orders_customer_id_placed_at', table_name='orders')
