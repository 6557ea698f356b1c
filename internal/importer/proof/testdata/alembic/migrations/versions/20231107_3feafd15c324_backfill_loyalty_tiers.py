"""backfill loyalty tiers from order history

Revision ID: 3feafd15c324
Revises: abbe583682ce
Create Date: 2023-11-07 09:05:41.662103

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '3feafd15c324'
down_revision = 'abbe583682ce'
branch_labels = None
depends_on = None


def upgrade():
    # gold: 20 paid orders or more; silver: 5 or more. updated_at is
    # the time of the backfill's release, not of each run.
    op.execute(
        """
        UPDATE customers SET loyalty_tier = 'silver', updated_at = '2023-11-07 09:00:00'
        WHERE id IN (SELECT customer_id FROM orders
                     WHERE status IN ('paid', 'shipped')
                     GROUP BY customer_id HAVING count(*) >= 5)
        """
    )
    op.execute(
        """
        UPDATE customers SET loyalty_tier = 'gold', updated_at = '2023-11-07 09:00:00'
        WHERE id IN (SELECT customer_id FROM orders
                     WHERE status IN ('paid', 'shipped')
                     GROUP BY customer_id HAVING count(*) >= 20)
        """
    )


def downgrade():
    op.execute("UPDATE customers SET loyalty_tier = 'bronze'")
