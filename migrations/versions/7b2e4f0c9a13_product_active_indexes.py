"""product: partial indexes of the active products, for counting the visible products (an
index-only scan) and for "more from this facility" (read in its order, no sort)

Revision ID: 7b2e4f0c9a13
Revises: 369fa646ff51
Create Date: 2026-12-04 20:40:00

"""
import sqlalchemy as sa
from alembic import op

revision = '7b2e4f0c9a13'
down_revision = '369fa646ff51'
branch_labels = None
depends_on = None

ACTIVE = sa.text("status = 'active'")


def upgrade():
    op.create_index('ix_product_active_facility', 'product', ['facility_id'],
                    sqlite_where=ACTIVE, postgresql_where=ACTIVE)
    op.create_index('ix_product_active_more', 'product',
                    ['facility_id', 'is_flagship', 'created_at', 'id'],
                    sqlite_where=ACTIVE, postgresql_where=ACTIVE)


def downgrade():
    op.drop_index('ix_product_active_more', table_name='product')
    op.drop_index('ix_product_active_facility', table_name='product')
