"""create suppliers

Revision ID: 1cc13e3288de
Revises: a27d1b5d51a2
Create Date: 2023-08-09 09:22:13.361508

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '1cc13e3288de'
down_revision = 'a27d1b5d51a2'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'suppliers',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('name', sa.String(length=120), nullable=False),
        sa.Column('contact_email', sa.String(length=255), nullable=True),
        sa.Column('lead_time_days', sa.Integer(), server_default='14', nullable=False),
        sa.Column('created_at', sa.DateTime(), server_default=sa.func.now(), nullable=False),
        sa.PrimaryKeyConstraint('id', name='pk_suppliers'),
    )


def downgrade():
    op.drop_table('suppliers')
