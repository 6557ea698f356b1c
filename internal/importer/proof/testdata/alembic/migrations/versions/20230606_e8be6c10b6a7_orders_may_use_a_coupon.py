"""orders may use a coupon

Revision ID: e8be6c10b6a7
Revises: 4acdc94c916e
Create Date: 2023-06-06 08:51:03.117590

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'e8be6c10b6a7'
down_revision = '4acdc94c916e'
branch_labels = None
depends_on = None


def upgrade():
    op.add_column('orders', sa.Column('coupon_code', sa.String(length=24), nullable=True))
    if op.get_context().dialect.name != 'sqlite':
        op.create_foreign_key('fk_orders_coupon_code', 'orders', 'coupons', ['coupon_code'], ['code'], ondelete='SET NULL')


def downgrade():
    if op.get_context().dialect.name != 'sqlite':
        op.drop_constraint('fk_orders_coupon_code', 'orders', type_='foreignkey')
    op.drop_column('orders', 'coupon_code')
