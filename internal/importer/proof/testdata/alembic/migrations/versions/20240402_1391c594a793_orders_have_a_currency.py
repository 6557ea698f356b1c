"""orders have a currency

Revision ID: 1391c594a793
Revises: 755c58221f75
Create Date: 2024-04-02 08:47:33.190284

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '1391c594a793'
down_revision = '755c58221f75'
branch_labels = None
depends_on = None


def upgrade():
    op.add_column('orders', sa.Column('currency', sa.CHAR(length=3), server_default='EUR', nullable=False))
    op.add_column('gift_cards', sa.Column('note', sa.String(length=200), nullable=True))


def downgrade():
    op.drop_column('gift_cards', 'note')
    op.drop_column('orders', 'currency')
