"""invoice payments become bank transfers

Revision ID: bc8133557525
Revises: 1391c594a793
Create Date: 2024-04-22 14:09:56.733021

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'bc8133557525'
down_revision = '1391c594a793'
branch_labels = None
depends_on = None


def upgrade():
    op.execute(
        "INSERT INTO payment_methods (code, label, enabled, fee_percent) "
        "VALUES ('transfer', 'Bank transfer (pay within 14 days)', true, 0)"
    )
    op.execute("UPDATE orders SET payment_method = 'transfer' WHERE payment_method = 'invoice'")
    op.execute("DELETE FROM payment_methods WHERE code = 'invoice'")
    op.execute("UPDATE payment_methods SET fee_percent = 1.2 WHERE code = 'card'")


def downgrade():
    op.execute(
        "INSERT INTO payment_methods (code, label, enabled, fee_percent) "
        "VALUES ('invoice', 'Invoice (30 days)', false, 0)"
    )
    op.execute("UPDATE orders SET payment_method = 'invoice' WHERE payment_method = 'transfer'")
    op.execute("DELETE FROM payment_methods WHERE code = 'transfer'")
    op.execute("UPDATE payment_methods SET fee_percent = 1.4 WHERE code = 'card'")
