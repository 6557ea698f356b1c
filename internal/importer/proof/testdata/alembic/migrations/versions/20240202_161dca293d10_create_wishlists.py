"""create wishlists

Revision ID: 161dca293d10
Revises: 59490f080e4b
Create Date: 2024-02-02 11:16:30.928551

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '161dca293d10'
down_revision = '59490f080e4b'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'wishlists',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('customer_id', sa.Integer(), nullable=False),
        sa.Column('name', sa.String(length=80), server_default='My wishlist', nullable=False),
        sa.Column('public', sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column('created_at', sa.DateTime(), server_default=sa.text('CURRENT_TIMESTAMP'), nullable=False),
        sa.ForeignKeyConstraint(['customer_id'], ['customers.id'], name='fk_wishlists_customer_id', ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name='pk_wishlists'),
    )


def downgrade():
    op.drop_table('wishlists')
