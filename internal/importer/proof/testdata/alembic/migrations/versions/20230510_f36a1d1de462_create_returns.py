"""create returns

Revision ID: f36a1d1de462
Revises: bf9c2dd4b332
Create Date: 2023-05-10 15:11:39.871402

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'f36a1d1de462'
down_revision = 'bf9c2dd4b332'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'returns',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('shipment_id', sa.Integer(), nullable=False),
        sa.Column('reason', sa.Enum('damaged', 'wrong_item', 'not_as_described', 'changed_mind', name='return_reason'), nullable=False),
        sa.Column('refunded', sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column('received_at', sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(['shipment_id'], ['shipments.id'], name='fk_returns_shipment_id'),
        sa.PrimaryKeyConstraint('id', name='pk_returns'),
    )


def downgrade():
    op.drop_table('returns')
    if op.get_context().dialect.name == 'postgresql':
        op.execute('DROP TYPE return_reason')
