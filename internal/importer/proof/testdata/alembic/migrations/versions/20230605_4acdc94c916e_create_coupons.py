"""create coupons

Revision ID: 4acdc94c916e
Revises: c956d22d8ca4
Create Date: 2023-06-05 10:27:40.388164

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '4acdc94c916e'
down_revision = 'c956d22d8ca4'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'coupons',
        sa.Column('code', sa.String(length=24), nullable=False),
        sa.Column('percent_off', sa.Numeric(precision=5, scale=2), nullable=False),
        sa.Column('valid_until', sa.DateTime(), nullable=True),
        sa.Column('max_uses', sa.Integer(), nullable=True),
        sa.Column('times_used', sa.Integer(), server_default='0', nullable=False),
        sa.CheckConstraint('percent_off > 0 AND percent_off <= 100', name='ck_coupons_percent_off'),
        sa.PrimaryKeyConstraint('code', name='pk_coupons'),
    )


def downgrade():
    op.drop_table('coupons')
