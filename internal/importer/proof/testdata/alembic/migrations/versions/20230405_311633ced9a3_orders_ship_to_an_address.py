"""orders ship to an address

Revision ID: 311633ced9a3
Revises: 2980bb85aca8
Create Date: 2023-04-05 09:18:22.902147

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '311633ced9a3'
down_revision = '2980bb85aca8'
branch_labels = None
depends_on = None

def orders(*extra):
    """The table as it is before this revision (plus extra), for SQLite's
    copy-and-move: offline, batch mode cannot reflect it."""
    return sa.Table(
        'orders',
        sa.MetaData(),
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('customer_id', sa.Integer(), nullable=False),
        sa.Column('status', sa.Enum('pending', 'paid', 'shipped', 'cancelled', name='order_status', create_type=False), server_default='pending', nullable=False),
        sa.Column('placed_at', sa.DateTime(), nullable=True),
        sa.Column('total', sa.Numeric(precision=12, scale=2), nullable=True),
        sa.ForeignKeyConstraint(['customer_id'], ['customers.id'], name='fk_orders_customer_id', ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name='pk_orders'),
        sa.Index('ix_orders_customer_id_placed_at', 'customer_id', 'placed_at'),
        *extra,
    )


def upgrade():
    with op.batch_alter_table('orders', copy_from=orders()) as batch_op:
        batch_op.add_column(sa.Column('shipping_address_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key('fk_orders_shipping_address_id', 'addresses', ['shipping_address_id'], ['id'], ondelete='SET NULL')


def downgrade():
    after = orders(
        sa.Column('shipping_address_id', sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(['shipping_address_id'], ['addresses.id'], name='fk_orders_shipping_address_id', ondelete='SET NULL'),
    )
    with op.batch_alter_table('orders', copy_from=after) as batch_op:
        batch_op.drop_constraint('fk_orders_shipping_address_id', type_='foreignkey')
        batch_op.drop_column('shipping_address_id')
