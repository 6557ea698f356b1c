"""create warehouses

Revision ID: 8c23a86655e3
Revises: 72429dcf2bc4
Create Date: 2023-03-01 09:00:12.448103

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '8c23a86655e3'
down_revision = '72429dcf2bc4'
branch_labels = None
depends_on = None


def upgrade():
    warehouses = op.create_table(
        'warehouses',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('code', sa.String(length=8), nullable=False),
        sa.Column('city', sa.String(length=80), nullable=False),
        sa.Column('opened_on', sa.Date(), nullable=True),
        sa.PrimaryKeyConstraint('id', name='pk_warehouses'),
        sa.UniqueConstraint('code', name='uq_warehouses_code'),
    )
    op.bulk_insert(
        warehouses,
        [
            {'id': 1, 'code': 'LYS1', 'city': 'Lyon', 'opened_on': None},
            {'id': 2, 'code': 'HAM2', 'city': 'Hamburg', 'opened_on': None},
        ],
    )


def downgrade():
    op.drop_table('warehouses')
