"""load the launch catalogue and the pilot customers

The pilot ran on a spreadsheet; its customers and orders are kept so that
their history (and loyalty) carries over.

Revision ID: b7c41e09d2f3
Revises: 2a0745601747
Create Date: 2023-04-20 18:02:51.772604

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b7c41e09d2f3'
down_revision = '2a0745601747'
branch_labels = None
depends_on = None

# Dates are written as text: offline (--sql) rendering has no literal
# form for datetime values on every backend.
customers = sa.table(
    'customers',
    sa.column('id', sa.Integer),
    sa.column('email', sa.String),
    sa.column('full_name', sa.String),
    sa.column('created_at', sa.String),
    sa.column('phone', sa.String),
)
products = sa.table(
    'products',
    sa.column('id', sa.Integer),
    sa.column('sku', sa.String),
    sa.column('name', sa.String),
    sa.column('price', sa.Numeric),
    sa.column('active', sa.Boolean),
    sa.column('category_id', sa.Integer),
    sa.column('weight_grams', sa.Integer),
)
orders = sa.table(
    'orders',
    sa.column('id', sa.Integer),
    sa.column('customer_id', sa.Integer),
    sa.column('status', sa.String),
    sa.column('placed_at', sa.String),
    sa.column('total', sa.Numeric),
)
order_items = sa.table(
    'order_items',
    sa.column('order_id', sa.Integer),
    sa.column('product_id', sa.Integer),
    sa.column('quantity', sa.Integer),
    sa.column('unit_price', sa.Numeric),
)


def upgrade():
    op.bulk_insert(customers, [
        {'id': 1, 'email': 'Claire.Martin@example.fr', 'full_name': 'Claire Martin', 'created_at': '2023-01-15 09:30:00', 'phone': '+33 4 72 00 00 01'},
        {'id': 2, 'email': 'jonas@example.de', 'full_name': 'Jonas Weber', 'created_at': '2023-02-02 14:10:00', 'phone': None},
        {'id': 3, 'email': "O'Brien@Example.ie", 'full_name': "Siobhan O'Brien", 'created_at': '2023-02-20 08:05:00', 'phone': ''},
        {'id': 4, 'email': 'pieter@example.nl', 'full_name': 'Pieter de Vries', 'created_at': '2023-03-03 19:45:00', 'phone': '+31 20 000 0004'},
    ])
    op.bulk_insert(products, [
        {'id': 1, 'sku': 'CW-PAN-28', 'name': 'Cast iron pan, 28 cm', 'price': 49.90, 'active': True, 'category_id': 4, 'weight_grams': 3100},
        {'id': 2, 'sku': 'CK-GYU-21', 'name': 'Gyuto knife 21 cm', 'price': 129.00, 'active': True, 'category_id': 5, 'weight_grams': 180},
        {'id': 3, 'sku': 'GD-SEED-TOM', 'name': 'Tomato seeds "Coeur de boeuf"', 'price': 3.50, 'active': True, 'category_id': 2, 'weight_grams': 10},
        {'id': 4, 'sku': 'HT-SAW-JP', 'name': 'Japanese pull saw', 'price': 34.00, 'active': False, 'category_id': 6, 'weight_grams': None},
    ])
    op.bulk_insert(orders, [
        {'id': i, 'customer_id': 1, 'status': 'shipped', 'placed_at': '2023-03-%02d 10:00:00' % i, 'total': None}
        for i in range(1, 7)
    ] + [
        {'id': 7, 'customer_id': 2, 'status': 'paid', 'placed_at': '2023-04-01 12:30:00', 'total': 129.00},
        {'id': 8, 'customer_id': 4, 'status': 'cancelled', 'placed_at': '2023-04-02 16:00:00', 'total': 3.50},
        {'id': 9, 'customer_id': 4, 'status': 'pending', 'placed_at': None, 'total': None},
    ])
    op.bulk_insert(order_items, [
        {'order_id': i, 'product_id': 1 + i % 3, 'quantity': i, 'unit_price': 3.50 if i % 3 == 2 else 49.90}
        for i in range(1, 10)
    ])
    op.execute(
        'UPDATE orders SET total = (SELECT sum(quantity * unit_price) FROM order_items i '
        'WHERE i.order_id = orders.id) WHERE total IS NULL AND status <> \'pending\''
    )


def downgrade():
    op.execute('DELETE FROM order_items WHERE order_id BETWEEN 1 AND 9')
    op.execute('DELETE FROM orders WHERE id BETWEEN 1 AND 9')
    op.execute('DELETE FROM products WHERE id BETWEEN 1 AND 4')
    op.execute('DELETE FROM customers WHERE id BETWEEN 1 AND 4')
