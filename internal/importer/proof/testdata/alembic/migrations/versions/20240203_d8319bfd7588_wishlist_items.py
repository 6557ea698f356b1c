"""wishlist items

Revision ID: d8319bfd7588
Revises: 161dca293d10
Create Date: 2024-02-03 09:02:14.665120

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'd8319bfd7588'
down_revision = '161dca293d10'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'wishlist_items',
        sa.Column('wishlist_id', sa.Integer(), nullable=False),
        sa.Column('product_id', sa.Integer(), nullable=False),
        sa.Column('added_at', sa.DateTime(), server_default=sa.text('CURRENT_TIMESTAMP'), nullable=False),
        sa.ForeignKeyConstraint(['wishlist_id'], ['wishlists.id'], name='fk_wishlist_items_wishlist_id', ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['product_id'], ['products.id'], name='fk_wishlist_items_product_id', ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('wishlist_id', 'product_id', name='pk_wishlist_items'),
    )


def downgrade():
    op.drop_table('wishlist_items')
