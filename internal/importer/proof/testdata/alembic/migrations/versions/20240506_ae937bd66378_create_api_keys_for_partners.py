"""create api keys for partners

Revision ID: ae937bd66378
Revises: bc8133557525
Create Date: 2024-05-06 10:30:21.487662

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'ae937bd66378'
down_revision = 'bc8133557525'
branch_labels = None
depends_on = '2a5c6bcaadd5'


# Partner API calls are written to the audit log by actor (the key's
# prefix): this needs the audit log's actor index.


def upgrade():
    op.create_table(
        'api_keys',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('prefix', sa.String(length=8), nullable=False),
        sa.Column('secret_hash', sa.String(length=128), nullable=False),
        sa.Column('partner', sa.String(length=80), nullable=False),
        sa.Column('scopes', sa.String(length=200), server_default='read', nullable=False),
        sa.Column('created_at', sa.DateTime(), server_default=sa.func.now(), nullable=False),
        sa.Column('revoked', sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.PrimaryKeyConstraint('id', name='pk_api_keys'),
    )
    op.create_index('ix_api_keys_prefix', 'api_keys', ['prefix'], unique=True)


def downgrade():
    op.drop_index('ix_api_keys_prefix', table_name='api_keys')
    op.drop_table('api_keys')
