"""add description to products

Revision ID: 69941f661c35
Revises: 309549550a61
Create Date: 2023-07-19 14:15:56.002471

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '69941f661c35'
down_revision = '309549550a61'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('products', schema=None) as batch_op:
        batch_op.add_column(sa.Column('description', sa.Text(), nullable=True))


def downgrade():
    op.drop_column('products', 'description')
