"""create audit log

Revision ID: 62b5ef78c176
Revises: 
Create Date: 2023-06-01 13:40:02.915530

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '62b5ef78c176'
down_revision = None
branch_labels = ('audit',)
depends_on = None


def upgrade():
    op.create_table(
        'audit_log',
        sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
        sa.Column('occurred_at', sa.DateTime(), server_default=sa.func.now(), nullable=False),
        sa.Column('actor', sa.String(length=64), nullable=False),
        sa.Column('action', sa.String(length=32), nullable=False),
        sa.Column('subject', sa.String(length=64), nullable=False),
        sa.Column('detail', sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint('id', name='pk_audit_log'),
    )


def downgrade():
    op.drop_table('audit_log')
