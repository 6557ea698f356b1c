"""lower-case customer emails

Revision ID: 36104632ba9c
Revises: 3f7542572a4e
Create Date: 2024-06-03 09:37:44.812590

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '36104632ba9c'
down_revision = '3f7542572a4e'
branch_labels = None
depends_on = None


def upgrade():
    # Sign-in compares lower-cased addresses; store them so.
    op.execute(
        "UPDATE customers SET email = lower(email), updated_at = '2024-06-03 09:30:00' "
        "WHERE email <> lower(email)"
    )
    op.execute('UPDATE newsletter_subscriptions SET email = lower(email) WHERE email <> lower(email)')


def downgrade():
    pass
