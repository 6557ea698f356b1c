"""backfill names from emails

Revision ID: 708192a3b4c5
Revises: 6f708192a3b4
Create Date: 2024-03-07 12:00:00

"""
from alembic import op
import sqlalchemy as sa


revision = '708192a3b4c5'
down_revision = '6f708192a3b4'
branch_labels = None
depends_on = None


def upgrade():
    conn = op.get_bind()
    rows = conn.execute(sa.text("SELECT id, email FROM users")).fetchall()
    for id_, email in rows:
        conn.execute(sa.text("UPDATE users SET name = :n WHERE id = :i"), {"n": email.split("@")[0], "i": id_})


def downgrade():
    op.execute("UPDATE users SET name = NULL")
