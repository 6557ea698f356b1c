"""create newsletter subscriptions

Revision ID: 41fba90ed15e
Revises: 3feafd15c324
Create Date: 2023-12-01 15:33:27.451883

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '41fba90ed15e'
down_revision = '3feafd15c324'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'newsletter_subscriptions',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('email', sa.String(length=255), nullable=False),
        sa.Column('customer_id', sa.Integer(), nullable=True),
        sa.Column('confirmed', sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column('subscribed_at', sa.DateTime(), server_default=sa.func.now(), nullable=False),
        sa.Column('unsubscribed_at', sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(['customer_id'], ['customers.id'], name='fk_newsletter_subscriptions_customer_id', ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id', name='pk_newsletter_subscriptions'),
        sa.UniqueConstraint('email', name='uq_newsletter_subscriptions_email'),
    )
    # Customers who ticked the box at checkout are subscribed already.
    op.execute(
        "INSERT INTO newsletter_subscriptions (email, customer_id, confirmed, subscribed_at) "
        "SELECT email, id, true, created_at FROM customers WHERE loyalty_tier IN ('silver', 'gold')"
    )


def downgrade():
    op.drop_table('newsletter_subscriptions')
