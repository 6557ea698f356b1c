"""audit order status changes

Revision ID: f1c2bb4c3f9b
Revises: 2a5c6bcaadd5
Create Date: 2023-06-20 17:26:31.554290

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'f1c2bb4c3f9b'
down_revision = '2a5c6bcaadd5'
branch_labels = None
depends_on = '1ee803dfc292'


def upgrade():
    dialect = op.get_context().dialect.name
    if dialect == 'postgresql':
        op.execute(
            """
            CREATE OR REPLACE FUNCTION audit_order_status() RETURNS trigger
            LANGUAGE plpgsql AS $body$
            DECLARE
                who text := coalesce(current_setting('storefront.actor', true), session_user);
            BEGIN
                IF NEW.status IS DISTINCT FROM OLD.status THEN
                    INSERT INTO audit_log (actor, action, subject, detail)
                    VALUES (who, 'status', 'order:' || NEW.id,
                            OLD.status::text || ' -> ' || NEW.status::text);
                END IF;
                RETURN NULL;
            END;
            $body$
            """
        )
        op.execute(
            'CREATE TRIGGER trg_orders_audit_status AFTER UPDATE OF status ON orders '
            'FOR EACH ROW EXECUTE FUNCTION audit_order_status()'
        )
    elif dialect == 'mysql':
        op.execute(
            """
            CREATE TRIGGER trg_orders_audit_status
            AFTER UPDATE ON orders
            FOR EACH ROW
            BEGIN
                DECLARE who VARCHAR(64) DEFAULT COALESCE(@storefront_actor, CURRENT_USER());
                IF NOT (NEW.status <=> OLD.status) THEN
                    INSERT INTO audit_log (actor, action, subject, detail)
                    VALUES (who, 'status', CONCAT('order:', NEW.id), CONCAT(OLD.status, ' -> ', NEW.status));
                END IF;
            END
            """
        )
    else:
        op.execute(
            """
            CREATE TRIGGER trg_orders_audit_status
            AFTER UPDATE OF status ON orders
            FOR EACH ROW WHEN NEW.status IS NOT OLD.status
            BEGIN
                INSERT INTO audit_log (actor, action, subject, detail)
                VALUES ('app', 'status', 'order:' || NEW.id, OLD.status || ' -> ' || NEW.status);
            END
            """
        )


def downgrade():
    dialect = op.get_context().dialect.name
    if dialect == 'postgresql':
        op.execute('DROP TRIGGER trg_orders_audit_status ON orders')
        op.execute('DROP FUNCTION audit_order_status()')
    else:
        op.execute('DROP TRIGGER trg_orders_audit_status')
