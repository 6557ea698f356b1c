"""track when api keys were last used

Revision ID: 3f7542572a4e
Revises: ae937bd66378
Create Date: 2024-05-20 15:54:07.006318

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '3f7542572a4e'
down_revision = 'ae937bd66378'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('api_keys', schema=None) as batch_op:
        batch_op.add_column(sa.Column('last_used_at', sa.DateTime(), nullable=True))
        batch_op.create_index('ix_api_keys_last_used_at', ['last_used_at'], unique=False)


def downgrade():
    with op.batch_alter_table('api_keys', schema=None) as batch_op:
        batch_op.drop_index('ix_api_keys_last_used_at')
    op.drop_column('api_keys', 'last_used_at')
