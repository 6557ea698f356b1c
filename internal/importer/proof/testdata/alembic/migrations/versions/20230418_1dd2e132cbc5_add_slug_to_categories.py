"""add slug to categories

Revision ID: 1dd2e132cbc5
Revises: 311633ced9a3
Create Date: 2023-04-18 14:26:51.384660

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '1dd2e132cbc5'
down_revision = '311633ced9a3'
branch_labels = None
depends_on = None


def upgrade():
    op.add_column('categories', sa.Column('slug', sa.String(length=80), nullable=True))


def downgrade():
    op.drop_column('categories', 'slug')
