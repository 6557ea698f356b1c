"""create tags

Revision ID: 8192a3b4c5d6
Revises: 708192a3b4c5
Create Date: 2024-03-08 12:00:00

"""
from alembic import op
import sqlalchemy as sa


revision = '8192a3b4c5d6'
down_revision = '708192a3b4c5'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'tags',
        sa.Column('id', sa.Integer, primary_key=True),
        sa.Column('user_id', sa.Integer, sa.ForeignKey('users.id'), nullable=False),
        sa.Column('label', sa.String(50), nullable=False, server_default='new'),
    )
    op.create_index('ix_tags_user', 'tags', ['user_id'])


def downgrade():
    op.drop_index('ix_tags_user', table_name='tags')
    op.drop_table('tags')
