"""create users

Revision ID: 1a2b3c4d5e6f
Revises:
Create Date: 2024-03-01 10:15:00.123456

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '1a2b3c4d5e6f'
down_revision = None
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'users',
        sa.Column('id', sa.Integer, primary_key=True),
        sa.Column('email', sa.String(200), nullable=False),
    )


def downgrade():
    op.drop_table('users')
