"""create product images

Revision ID: a27d1b5d51a2
Revises: 69941f661c35
Create Date: 2023-08-01 10:40:29.774305

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'a27d1b5d51a2'
down_revision = '69941f661c35'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'product_images',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('product_id', sa.Integer(), nullable=False),
        sa.Column('url', sa.String(length=500), nullable=False),
        sa.Column('position', sa.SmallInteger(), server_default='0', nullable=False),
        sa.Column('alt_text', sa.String(length=200), nullable=True),
        sa.ForeignKeyConstraint(['product_id'], ['products.id'], name='fk_product_images_product_id', ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name='pk_product_images'),
    )
    op.create_index('ix_product_images_product_id_position', 'product_images', ['product_id', 'position'], unique=True)


def downgrade():
    op.drop_table('product_images')
