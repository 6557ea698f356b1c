"""customers get a loyalty tier

Revision ID: abbe583682ce
Revises: 6350e52d03c9
Create Date: 2023-11-07 08:30:02.118574

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'abbe583682ce'
down_revision = '6350e52d03c9'
branch_labels = None
depends_on = None


def upgrade():
    # add_column does not create PostgreSQL's enum type; it is created first.
    if op.get_context().dialect.name == 'postgresql':
        op.execute("CREATE TYPE loyalty_tier AS ENUM ('bronze', 'silver', 'gold')")
    op.add_column(
        'customers',
        sa.Column('loyalty_tier', sa.Enum('bronze', 'silver', 'gold', name='loyalty_tier'), server_default='bronze', nullable=False),
    )


def downgrade():
    op.drop_column('customers', 'loyalty_tier')
    if op.get_context().dialect.name == 'postgresql':
        op.execute('DROP TYPE loyalty_tier')
