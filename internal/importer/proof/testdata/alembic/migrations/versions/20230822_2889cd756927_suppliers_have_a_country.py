"""suppliers have a country

Revision ID: 2889cd756927
Revises: abc9606d6b60
Create Date: 2023-08-22 15:48:30.211856

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '2889cd756927'
down_revision = 'abc9606d6b60'
branch_labels = None
depends_on = None


def upgrade():
    op.add_column('suppliers', sa.Column('country', sa.CHAR(length=2), server_default='FR', nullable=False))


def downgrade():
    op.drop_column('suppliers', 'country')
