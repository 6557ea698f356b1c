"""longer product names

Revision ID: db02bc901a23
Revises: aae4d1837640
Create Date: 2023-03-22 15:40:03.617220

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'db02bc901a23'
down_revision = 'aae4d1837640'
branch_labels = None
depends_on = None


def upgrade():
    if op.get_context().dialect.name == 'sqlite':
        # SQLite does not enforce VARCHAR lengths; nothing to change.
        return
    op.alter_column(
        'products', 'name',
        existing_type=sa.String(length=120),
        type_=sa.String(length=200),
        existing_nullable=False,
    )


def downgrade():
    if op.get_context().dialect.name == 'sqlite':
        return
    op.alter_column(
        'products', 'name',
        existing_type=sa.String(length=200),
        type_=sa.String(length=120),
        existing_nullable=False,
    )
