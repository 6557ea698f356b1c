"""add carrier tracking to shipments

Revision ID: ffd38ef5dbaf
Revises: f36a1d1de462
Create Date: 2023-05-12 09:05:56.402117

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'ffd38ef5dbaf'
down_revision = 'f36a1d1de462'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('shipments', schema=None) as batch_op:
        batch_op.add_column(sa.Column('carrier', sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column('tracking_number', sa.String(length=64), nullable=True))
        batch_op.create_index('ix_shipments_tracking_number', ['tracking_number'], unique=False)


def downgrade():
    with op.batch_alter_table('shipments', schema=None) as batch_op:
        batch_op.drop_index('ix_shipments_tracking_number')
    op.drop_column('shipments', 'tracking_number')
    op.drop_column('shipments', 'carrier')
