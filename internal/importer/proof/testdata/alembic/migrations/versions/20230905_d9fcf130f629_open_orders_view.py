"""open orders view for the warehouse screens

Revision ID: d9fcf130f629
Revises: 2889cd756927
Create Date: 2023-09-05 11:30:04.664220

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'd9fcf130f629'
down_revision = '2889cd756927'
branch_labels = None
depends_on = None


def upgrade():
    op.execute(
        """
        CREATE VIEW open_orders AS
        SELECT o.id, o.customer_id, c.email, o.status, o.placed_at, o.total
        FROM orders o
        JOIN customers c ON c.id = o.customer_id
        WHERE o.status IN ('pending', 'paid')
        """
    )


def downgrade():
    op.execute('DROP VIEW open_orders')
