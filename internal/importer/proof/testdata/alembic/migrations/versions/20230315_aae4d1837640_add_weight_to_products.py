"""add weight to products

Shipping quotes need the parcel weight.

Revision ID: aae4d1837640
Revises: b996cb422f5a
Create Date: 2023-03-15 11:14:58.201773

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'aae4d1837640'
down_revision = 'b996cb422f5a'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('products', schema=None) as batch_op:
        batch_op.add_column(sa.Column('weight_grams', sa.Integer(), nullable=True))


def downgrade():
    # Not in batch mode: SQLite (3.35 and later) drops the column in
    # place, and batch mode could not render --sql without copy_from.
    op.drop_column('products', 'weight_grams')
