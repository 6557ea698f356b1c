"""merge reporting and fulfilment

Revision ID: c956d22d8ca4
Revises: dda308c80211, ffd38ef5dbaf
Create Date: 2023-05-15 08:58:14.760033

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'c956d22d8ca4'
down_revision = ('dda308c80211', 'ffd38ef5dbaf')
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
