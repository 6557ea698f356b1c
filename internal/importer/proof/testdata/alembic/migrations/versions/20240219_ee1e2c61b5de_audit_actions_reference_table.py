"""audit actions reference table

Revision ID: ee1e2c61b5de
Revises: ee9749b7ba76
Create Date: 2024-02-19 14:44:51.196842

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'ee1e2c61b5de'
down_revision = 'ee9749b7ba76'
branch_labels = None
depends_on = None


def upgrade():
    audit_actions = op.create_table(
        'audit_actions',
        sa.Column('action', sa.String(length=32), nullable=False),
        sa.Column('description', sa.String(length=200), nullable=False),
        sa.Column('retention_days', sa.Integer(), server_default='365', nullable=False),
        sa.PrimaryKeyConstraint('action', name='pk_audit_actions'),
    )
    op.bulk_insert(
        audit_actions,
        [
            {'action': 'status', 'description': 'An order changed status', 'retention_days': 730},
            {'action': 'login', 'description': 'A staff member signed in', 'retention_days': 90},
            {'action': 'refund', 'description': 'A refund was issued', 'retention_days': 3650},
            {'action': 'export', 'description': 'Customer data was exported (GDPR)', 'retention_days': 1825},
        ],
    )
    # Entries of actions nobody knows any more are kept the default time.
    op.execute(
        "INSERT INTO audit_actions (action, description) "
        "SELECT DISTINCT action, 'legacy action' FROM audit_log "
        "WHERE action NOT IN (SELECT action FROM audit_actions)"
    )


def downgrade():
    op.drop_table('audit_actions')
