"""create orders

Revision ID: 1ee803dfc292
Revises: bcb6b29aa710
Create Date: 2023-01-12 09:41:27.004112

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '1ee803dfc292'
down_revision = 'bcb6b29aa710'
branch_labels = None
depends_on = None

order_status = sa.Enum('pending', 'paid', 'shipped', 'cancelled', name='order_status')


def upgrade():
    op.create_table(
        'orders',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('customer_id', sa.Integer(), nullable=False),
        sa.Column('status', order_status, server_default='pending', nullable=False),
        sa.Column('placed_at', sa.DateTime(), nullable=True),
        sa.Column('total', sa.Numeric(precision=12, scale=2), nullable=True),
        sa.ForeignKeyConstraint(['customer_id'], ['customers.id'], name='fk_orders_customer_id', ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name='pk_orders'),
    )


def downgrade():
    op.drop_table('orders')
    if op.get_context().dialect.name == 'postgresql':
        op.execute('DROP TYPE order_status')
