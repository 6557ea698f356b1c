"""move customer phones to contacts

Revision ID: 309549550a61
Revises: 5d2291a1a60d
Create Date: 2023-07-04 16:37:22.118946

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '309549550a61'
down_revision = '5d2291a1a60d'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'customer_contacts',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('customer_id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.Enum('phone', 'mobile', 'fax', name='contact_kind'), nullable=False),
        sa.Column('value', sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(['customer_id'], ['customers.id'], name='fk_customer_contacts_customer_id', ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name='pk_customer_contacts'),
    )
    op.execute(
        "INSERT INTO customer_contacts (customer_id, kind, value) "
        "SELECT id, 'phone', phone FROM customers WHERE phone IS NOT NULL AND phone <> ''"
    )
    # SQLite 3.35 and later drop a column in place.
    op.drop_column('customers', 'phone')


def downgrade():
    op.add_column('customers', sa.Column('phone', sa.String(length=32), nullable=True))
    op.execute(
        "UPDATE customers SET phone = (SELECT min(value) FROM customer_contacts c "
        "WHERE c.customer_id = customers.id AND c.kind = 'phone')"
    )
    op.drop_table('customer_contacts')
    if op.get_context().dialect.name == 'postgresql':
        op.execute('DROP TYPE contact_kind')
