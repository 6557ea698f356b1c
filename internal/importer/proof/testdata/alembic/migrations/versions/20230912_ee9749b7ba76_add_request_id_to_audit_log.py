"""add request id to audit log

Revision ID: ee9749b7ba76
Revises: f1c2bb4c3f9b
Create Date: 2023-09-12 10:03:18.270415

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'ee9749b7ba76'
down_revision = 'f1c2bb4c3f9b'
branch_labels = None
depends_on = None


def upgrade():
    op.add_column('audit_log', sa.Column('request_id', sa.String(length=36), nullable=True))


def downgrade():
    # Not in batch mode: copying the table on SQLite would break the
    # trigger of orders that writes into it. SQLite 3.35 drops columns.
    op.drop_column('audit_log', 'request_id')
