"""merge audit into the trunk

Revision ID: 6f708192a3b4
Revises: 3c4d5e6f7081, 5e6f708192a3
Create Date: 2024-03-06 12:00:00

"""
revision = '6f708192a3b4'
down_revision = ('3c4d5e6f7081', '5e6f708192a3')
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
