"""index audit log by actor and time

Revision ID: 2a5c6bcaadd5
Revises: 62b5ef78c176
Create Date: 2023-06-02 09:12:47.008123

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '2a5c6bcaadd5'
down_revision = '62b5ef78c176'
branch_labels = None
depends_on = None


def upgrade():
    op.create_index('ix_audit_log_actor_occurred_at', 'audit_log', ['actor', 'occurred_at'])
    op.create_index('ix_audit_log_subject', 'audit_log', ['subject'])


def downgrade():
    op.drop_index('ix_audit_log_subject', table_name='audit_log')
    op.drop_index('ix_audit_log_actor_occurred_at', table_name='audit_log')
