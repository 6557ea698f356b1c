"""add phone to customers

Revision ID: 89616caf0df4
Revises: 155d6da448c1
Create Date: 2023-02-02 08:30:17.662020

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '89616caf0df4'
down_revision = '155d6da448c1'
branch_labels = None
depends_on = None


def upgrade():
    op.add_column('customers', sa.Column('phone', sa.String(length=32), nullable=True))


def downgrade():
    op.drop_column('customers', 'phone')
