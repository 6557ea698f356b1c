"""add notes to orders

Revision ID: 61a98ec62ba9
Revises: c7853edbf68a
Create Date: 2023-10-02 09:44:19.307625

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '61a98ec62ba9'
down_revision = 'c7853edbf68a'
branch_labels = None
depends_on = None


def upgrade():
    op.add_column('orders', sa.Column('customer_note', sa.Text(), nullable=True))
    op.add_column('orders', sa.Column('internal_note', sa.Text(), nullable=True))


def downgrade():
    op.drop_column('orders', 'internal_note')
    op.drop_column('orders', 'customer_note')
