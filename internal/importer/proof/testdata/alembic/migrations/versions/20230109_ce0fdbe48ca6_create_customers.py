"""create customers

Revision ID: ce0fdbe48ca6
Revises: 
Create Date: 2023-01-09 10:12:44.118305

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'ce0fdbe48ca6'
down_revision = None
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'customers',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('email', sa.String(length=255), nullable=False),
        sa.Column('full_name', sa.String(length=120), nullable=False),
        sa.Column('created_at', sa.DateTime(), server_default=sa.text('CURRENT_TIMESTAMP'), nullable=False),
        sa.PrimaryKeyConstraint('id', name='pk_customers'),
    )
    op.create_index('ix_customers_email', 'customers', ['email'], unique=True)


def downgrade():
    op.drop_index('ix_customers_email', table_name='customers')
    op.drop_table('customers')
