"""category slugs are required and unique

Revision ID: 2a0745601747
Revises: 7f7b154fcdd9
Create Date: 2023-04-19 08:45:33.547729

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '2a0745601747'
down_revision = '7f7b154fcdd9'
branch_labels = None
depends_on = None

categories = sa.Table(
    'categories',
    sa.MetaData(),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=80), nullable=False),
    sa.Column('parent_id', sa.Integer(), nullable=True),
    sa.Column('slug', sa.String(length=80), nullable=True),
    sa.ForeignKeyConstraint(['parent_id'], ['categories.id'], name='fk_categories_parent_id'),
    sa.PrimaryKeyConstraint('id', name='pk_categories'),
)


def upgrade():
    with op.batch_alter_table('categories', copy_from=categories) as batch_op:
        batch_op.alter_column('slug', existing_type=sa.String(length=80), nullable=False)
        batch_op.create_index('ix_categories_slug', ['slug'], unique=True)


def downgrade():
    op.drop_index('ix_categories_slug', table_name='categories')
    with op.batch_alter_table('categories', copy_from=categories) as batch_op:
        batch_op.alter_column('slug', existing_type=sa.String(length=80), nullable=True)
