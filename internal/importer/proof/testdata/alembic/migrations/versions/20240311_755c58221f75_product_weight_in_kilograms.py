"""product weight in kilograms

Revision ID: 755c58221f75
Revises: d8319bfd7588
Create Date: 2024-03-11 16:25:48.217439

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '755c58221f75'
down_revision = 'd8319bfd7588'
branch_labels = None
depends_on = None


def upgrade():
    op.add_column('products', sa.Column('weight_kg', sa.Numeric(precision=8, scale=3), nullable=True))
    op.execute('UPDATE products SET weight_kg = weight_grams / 1000.0 WHERE weight_grams IS NOT NULL')
    op.drop_column('products', 'weight_grams')


def downgrade():
    op.add_column('products', sa.Column('weight_grams', sa.Integer(), nullable=True))
    op.execute('UPDATE products SET weight_grams = weight_kg * 1000 WHERE weight_kg IS NOT NULL')
    op.drop_column('products', 'weight_kg')
