"""create audit, the first of the audit branch

Revision ID: 4d5e6f708192
Revises: 1a2b3c4d5e6f
Create Date: 2024-03-04 08:00:00

"""
from alembic import op
import sqlalchemy as sa


revision = '4d5e6f708192'
down_revision = '1a2b3c4d5e6f'
branch_labels = ('audit',)
depends_on = None


def upgrade():
    op.create_table(
        'audit',
        sa.Column('id', sa.Integer, primary_key=True),
        sa.Column('what', sa.String(200), nullable=False),
    )


def downgrade():
    op.drop_table('audit')
