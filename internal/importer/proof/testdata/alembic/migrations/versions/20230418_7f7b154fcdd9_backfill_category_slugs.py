"""backfill category slugs

Revision ID: 7f7b154fcdd9
Revises: 1dd2e132cbc5
Create Date: 2023-04-18 14:52:06.119835

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '7f7b154fcdd9'
down_revision = '1dd2e132cbc5'
branch_labels = None
depends_on = None


def upgrade():
    op.execute(
        "UPDATE categories SET slug = lower(replace(replace(name, '''', ''), ' ', '-'))"
        " WHERE slug IS NULL"
    )


def downgrade():
    op.execute('UPDATE categories SET slug = NULL')
