"""record product price history

Revision ID: c7853edbf68a
Revises: d9fcf130f629
Create Date: 2023-09-18 13:57:45.118007

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'c7853edbf68a'
down_revision = 'd9fcf130f629'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'price_history',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('product_id', sa.Integer(), nullable=False),
        sa.Column('old_price', sa.Numeric(precision=10, scale=2), nullable=True),
        sa.Column('new_price', sa.Numeric(precision=10, scale=2), nullable=False),
        sa.Column('changed_at', sa.DateTime(), server_default=sa.text('CURRENT_TIMESTAMP'), nullable=False),
        sa.ForeignKeyConstraint(['product_id'], ['products.id'], name='fk_price_history_product_id', ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name='pk_price_history'),
    )
    dialect = op.get_context().dialect.name
    if dialect == 'postgresql':
        op.execute(
            """
            CREATE FUNCTION record_price_change() RETURNS trigger AS $$
            BEGIN
                IF TG_OP = 'INSERT' THEN
                    INSERT INTO price_history (product_id, old_price, new_price)
                    VALUES (NEW.id, NULL, NEW.price);
                ELSIF NEW.price <> OLD.price THEN
                    INSERT INTO price_history (product_id, old_price, new_price)
                    VALUES (NEW.id, OLD.price, NEW.price);
                END IF;
                RETURN NEW;
            END;
            $$ LANGUAGE plpgsql;

            CREATE TRIGGER trg_products_price_history
            AFTER INSERT OR UPDATE OF price ON products
            FOR EACH ROW EXECUTE FUNCTION record_price_change();
            """
        )
    elif dialect == 'mysql':
        op.execute(
            """
            CREATE TRIGGER trg_products_price_history
            AFTER UPDATE ON products
            FOR EACH ROW
            BEGIN
                IF NEW.price <> OLD.price THEN
                    INSERT INTO price_history (product_id, old_price, new_price)
                    VALUES (NEW.id, OLD.price, NEW.price);
                END IF;
            END
            """
        )
        op.execute(
            """
            CREATE TRIGGER trg_products_price_initial
            AFTER INSERT ON products
            FOR EACH ROW
            INSERT INTO price_history (product_id, old_price, new_price)
            VALUES (NEW.id, NULL, NEW.price)
            """
        )
    else:
        op.execute(
            """
            CREATE TRIGGER trg_products_price_history
            AFTER UPDATE OF price ON products
            FOR EACH ROW WHEN NEW.price <> OLD.price
            BEGIN
                INSERT INTO price_history (product_id, old_price, new_price)
                VALUES (NEW.id, OLD.price, NEW.price);
            END
            """
        )
        op.execute(
            """
            CREATE TRIGGER trg_products_price_initial
            AFTER INSERT ON products
            FOR EACH ROW
            BEGIN
                INSERT INTO price_history (product_id, old_price, new_price)
                VALUES (NEW.id, NULL, NEW.price);
            END
            """
        )


def downgrade():
    dialect = op.get_context().dialect.name
    if dialect == 'postgresql':
        op.execute('DROP TRIGGER trg_products_price_history ON products')
        op.execute('DROP FUNCTION record_price_change()')
    else:
        op.execute('DROP TRIGGER trg_products_price_initial')
        op.execute('DROP TRIGGER trg_products_price_history')
    op.drop_table('price_history')
