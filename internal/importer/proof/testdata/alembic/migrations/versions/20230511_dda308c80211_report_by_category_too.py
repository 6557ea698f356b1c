"""report by category too

Revision ID: dda308c80211
Revises: 316e24f53874
Create Date: 2023-05-11 10:19:30.045529

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'dda308c80211'
down_revision = '316e24f53874'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'sales_by_category',
        sa.Column('month', sa.String(length=7), nullable=False, comment='YYYY-MM'),
        sa.Column('category_id', sa.Integer(), nullable=False),
        sa.Column('units', sa.Integer(), server_default='0', nullable=False),
        sa.Column('revenue', sa.Numeric(precision=14, scale=2), server_default='0', nullable=False),
        sa.ForeignKeyConstraint(['category_id'], ['categories.id'], name='fk_sales_by_category_category_id'),
        sa.PrimaryKeyConstraint('month', 'category_id', name='pk_sales_by_category'),
    )
    op.create_index('ix_sales_daily_computed_at', 'sales_daily', ['computed_at'])


def downgrade():
    op.drop_index('ix_sales_daily_computed_at', table_name='sales_daily')
    op.drop_table('sales_by_category')
