"""index orders by status without locking

Revision ID: c00560337fe4
Revises: e8be6c10b6a7
Create Date: 2023-06-14 22:10:37.640021

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'c00560337fe4'
down_revision = 'e8be6c10b6a7'
branch_labels = None
depends_on = None


# The orders table is large and written all day: on PostgreSQL the index
# is built CONCURRENTLY, which cannot run inside a transaction.


def upgrade():
    if op.get_context().dialect.name == 'postgresql':
        with op.get_context().autocommit_block():
            op.create_index(
                'ix_orders_status', 'orders', ['status'],
                postgresql_concurrently=True,
            )
    else:
        op.create_index('ix_orders_status', 'orders', ['status'])


def downgrade():
    if op.get_context().dialect.name == 'postgresql':
        with op.get_context().autocommit_block():
            op.drop_index('ix_orders_status', table_name='orders', postgresql_concurrently=True)
    else:
        op.drop_index('ix_orders_status', table_name='orders')
