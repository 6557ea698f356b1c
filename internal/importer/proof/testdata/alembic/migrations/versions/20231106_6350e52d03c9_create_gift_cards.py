"""create gift cards

Revision ID: 6350e52d03c9
Revises: 0f41d7d82a44
Create Date: 2023-11-06 10:11:36.529940

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '6350e52d03c9'
down_revision = '0f41d7d82a44'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'gift_cards',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('code', sa.String(length=19), nullable=False),
        sa.Column('initial_balance', sa.Numeric(precision=10, scale=2), nullable=False),
        sa.Column('balance', sa.Numeric(precision=10, scale=2), nullable=False),
        sa.Column('currency', sa.CHAR(length=3), server_default='EUR', nullable=False),
        sa.Column('expires_at', sa.DateTime(), nullable=True),
        sa.Column('blocked', sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column('issued_to', sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(['issued_to'], ['customers.id'], name='fk_gift_cards_issued_to', ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id', name='pk_gift_cards'),
        sa.UniqueConstraint('code', name='uq_gift_cards_code'),
    )


def downgrade():
    op.drop_table('gift_cards')
