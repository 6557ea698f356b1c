"""create products

Revision ID: bcb6b29aa710
Revises: ce0fdbe48ca6
Create Date: 2023-01-10 14:03:09.552191

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'bcb6b29aa710'
down_revision = 'ce0fdbe48ca6'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'products',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('sku', sa.String(length=32), nullable=False),
        sa.Column('name', sa.String(length=120), nullable=False),
        sa.Column('price', sa.Numeric(precision=10, scale=2), nullable=False),
        sa.Column('active', sa.Boolean(), server_default=sa.true(), nullable=False),
        sa.PrimaryKeyConstraint('id', name='pk_products'),
        sa.UniqueConstraint('sku', name='uq_products_sku'),
    )


def downgrade():
    op.drop_table('products')
