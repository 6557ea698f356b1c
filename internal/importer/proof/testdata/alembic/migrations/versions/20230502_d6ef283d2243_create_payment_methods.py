"""create payment methods

Revision ID: d6ef283d2243
Revises: b7c41e09d2f3
Create Date: 2023-05-02 12:00:47.661928

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'd6ef283d2243'
down_revision = 'b7c41e09d2f3'
branch_labels = None
depends_on = None


def upgrade():
    payment_methods = op.create_table(
        'payment_methods',
        sa.Column('code', sa.String(length=16), nullable=False),
        sa.Column('label', sa.String(length=64), nullable=False),
        sa.Column('enabled', sa.Boolean(), server_default=sa.true(), nullable=False),
        sa.Column('fee_percent', sa.Numeric(precision=5, scale=2), server_default='0', nullable=False),
        sa.PrimaryKeyConstraint('code', name='pk_payment_methods'),
    )
    op.bulk_insert(
        payment_methods,
        [
            {'code': 'card', 'label': 'Credit or debit card', 'enabled': True, 'fee_percent': 1.4},
            {'code': 'sepa', 'label': 'SEPA direct debit', 'enabled': True, 'fee_percent': 0.35},
            {'code': 'invoice', 'label': 'Invoice (30 days)', 'enabled': False, 'fee_percent': 0},
        ],
    )
    op.add_column('orders', sa.Column('payment_method', sa.String(length=16), nullable=True))


def downgrade():
    op.drop_column('orders', 'payment_method')
    op.drop_table('payment_methods')
