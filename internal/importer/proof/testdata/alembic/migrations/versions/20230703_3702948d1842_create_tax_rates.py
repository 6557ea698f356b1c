"""create tax rates

Revision ID: 3702948d1842
Revises: c00560337fe4
Create Date: 2023-07-03 09:30:11.482733

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '3702948d1842'
down_revision = 'c00560337fe4'
branch_labels = None
depends_on = None


tax_rates = sa.table(
    'tax_rates',
    sa.column('id', sa.Integer),
    sa.column('country', sa.String),
    sa.column('name', sa.String),
    sa.column('rate', sa.Numeric),
)


def upgrade():
    op.create_table(
        'tax_rates',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('country', sa.CHAR(length=2), nullable=False),
        sa.Column('name', sa.String(length=40), nullable=False),
        sa.Column('rate', sa.Numeric(precision=6, scale=4), nullable=False),
        sa.PrimaryKeyConstraint('id', name='pk_tax_rates'),
        sa.UniqueConstraint('country', 'name', name='uq_tax_rates_country_name'),
    )
    op.bulk_insert(
        tax_rates,
        [
            {'id': 1, 'country': 'FR', 'name': 'standard', 'rate': 0.2},
            {'id': 2, 'country': 'FR', 'name': 'reduced', 'rate': 0.055},
            {'id': 3, 'country': 'DE', 'name': 'standard', 'rate': 0.19},
            {'id': 4, 'country': 'DE', 'name': 'reduced', 'rate': 0.07},
            {'id': 5, 'country': 'NL', 'name': 'standard', 'rate': 0.21},
        ],
    )


def downgrade():
    op.drop_table('tax_rates')
