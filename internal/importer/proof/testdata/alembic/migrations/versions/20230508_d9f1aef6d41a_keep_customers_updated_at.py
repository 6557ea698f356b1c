"""keep customers.updated_at up to date in the database

Several services write customers; the column is kept by a trigger so
that none of them can forget it.

Revision ID: d9f1aef6d41a
Revises: d6ef283d2243
Create Date: 2023-05-08 09:33:12.601188

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'd9f1aef6d41a'
down_revision = 'd6ef283d2243'
branch_labels = None
depends_on = None


def upgrade():
    op.add_column('customers', sa.Column('updated_at', sa.DateTime(), nullable=True))
    dialect = op.get_context().dialect.name
    if dialect == 'postgresql':
        op.execute(
            """
            CREATE FUNCTION set_updated_at() RETURNS trigger
            LANGUAGE plpgsql AS $$
            BEGIN
                IF NEW.email IS DISTINCT FROM OLD.email THEN
                    NEW.email := lower(NEW.email);
                END IF;
                -- a writer that sets updated_at itself keeps its value
                IF NEW.updated_at IS NOT DISTINCT FROM OLD.updated_at THEN
                    NEW.updated_at := now();
                END IF;
                RETURN NEW;
            END;
            $$
            """
        )
        op.execute(
            """
            CREATE TRIGGER trg_customers_updated_at
            BEFORE UPDATE ON customers
            FOR EACH ROW EXECUTE FUNCTION set_updated_at()
            """
        )
    elif dialect == 'mysql':
        op.execute(
            """
            CREATE TRIGGER trg_customers_updated_at
            BEFORE UPDATE ON customers
            FOR EACH ROW
            BEGIN
                IF NOT (NEW.email <=> OLD.email) THEN
                    SET NEW.email = LOWER(NEW.email);
                END IF;
                IF NEW.updated_at <=> OLD.updated_at THEN
                    SET NEW.updated_at = CURRENT_TIMESTAMP;
                END IF;
            END
            """
        )
    elif dialect == 'sqlite':
        op.execute(
            """
            CREATE TRIGGER trg_customers_updated_at
            AFTER UPDATE ON customers
            FOR EACH ROW WHEN NEW.updated_at IS OLD.updated_at
            BEGIN
                UPDATE customers SET updated_at = CURRENT_TIMESTAMP WHERE id = NEW.id;
                UPDATE customers SET email = lower(email) WHERE id = NEW.id AND email <> lower(email);
            END
            """
        )


def downgrade():
    dialect = op.get_context().dialect.name
    op.execute('DROP TRIGGER IF EXISTS trg_customers_updated_at' + (' ON customers' if dialect == 'postgresql' else ''))
    if dialect == 'postgresql':
        op.execute('DROP FUNCTION IF EXISTS set_updated_at()')
    op.drop_column('customers', 'updated_at')
