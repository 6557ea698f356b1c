"""create addresses

Revision ID: 2980bb85aca8
Revises: db02bc901a23
Create Date: 2023-04-04 10:02:39.730016

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '2980bb85aca8'
down_revision = 'db02bc901a23'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'addresses',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('customer_id', sa.Integer(), nullable=False),
        sa.Column('line1', sa.String(length=200), nullable=False),
        sa.Column('line2', sa.String(length=200), nullable=True),
        sa.Column('postcode', sa.String(length=16), nullable=False),
        sa.Column('city', sa.String(length=80), nullable=False),
        sa.Column('country', sa.CHAR(length=2), nullable=False),
        sa.Column('is_default', sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.ForeignKeyConstraint(['customer_id'], ['customers.id'], name='fk_addresses_customer_id', ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name='pk_addresses'),
    )
    op.create_index('ix_addresses_customer_id', 'addresses', ['customer_id'])


def downgrade():
    op.drop_table('addresses')
