"""shipping zones

Revision ID: 9842d8ca8bd8
Revises: 41fba90ed15e
Create Date: 2024-01-08 10:58:09.004417

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '9842d8ca8bd8'
down_revision = '41fba90ed15e'
branch_labels = None
depends_on = None


def upgrade():
    zones = op.create_table(
        'shipping_zones',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('name', sa.String(length=40), nullable=False),
        sa.Column('base_fee', sa.Numeric(precision=8, scale=2), nullable=False),
        sa.Column('free_above', sa.Numeric(precision=8, scale=2), nullable=True),
        sa.PrimaryKeyConstraint('id', name='pk_shipping_zones'),
    )
    countries = op.create_table(
        'shipping_zone_countries',
        sa.Column('country', sa.CHAR(length=2), nullable=False),
        sa.Column('zone_id', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['zone_id'], ['shipping_zones.id'], name='fk_shipping_zone_countries_zone_id'),
        sa.PrimaryKeyConstraint('country', name='pk_shipping_zone_countries'),
    )
    op.bulk_insert(
        zones,
        [
            {'id': 1, 'name': 'Domestic', 'base_fee': 4.9, 'free_above': 50},
            {'id': 2, 'name': 'EU', 'base_fee': 9.9, 'free_above': 120},
            {'id': 3, 'name': 'Rest of world', 'base_fee': 24.5, 'free_above': None},
        ],
    )
    op.bulk_insert(
        countries,
        [
            {'country': 'FR', 'zone_id': 1},
            {'country': 'DE', 'zone_id': 2},
            {'country': 'NL', 'zone_id': 2},
            {'country': 'BE', 'zone_id': 2},
            {'country': 'CH', 'zone_id': 3},
            {'country': 'GB', 'zone_id': 3},
        ],
    )


def downgrade():
    op.drop_table('shipping_zone_countries')
    op.drop_table('shipping_zones')
