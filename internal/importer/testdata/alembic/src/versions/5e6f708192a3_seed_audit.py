"""seed audit

Revision ID: 5e6f708192a3
Revises: 4d5e6f708192
Create Date: 2024-03-05 08:00:00

"""
from alembic import op


revision = '5e6f708192a3'
down_revision = '4d5e6f708192'
branch_labels = None
depends_on = '3c4d5e6f7081'


def upgrade():
    op.execute("INSERT INTO audit (what) VALUES ('it''s imported')")


def downgrade():
    op.execute("DELETE FROM audit WHERE what = 'it''s imported'")
