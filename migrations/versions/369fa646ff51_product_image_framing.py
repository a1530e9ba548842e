"""product photo framing: product_image.framing, "fill" (cropped to 4:3, what every photo had
so far) or "fit" (the whole photo, padded to 4:3)

Revision ID: 369fa646ff51
Revises: f3a9c2d81b54
Create Date: 2026-12-04 17:30:00

"""
import sqlalchemy as sa
from alembic import op

revision = '369fa646ff51'
# Chained after the gateway-fees revision that sits on 5e4c1a2b9d70 in the same working tree
# (one head). Without f3a9c2d81b54 this revises 5e4c1a2b9d70 directly: nothing here needs it.
down_revision = 'f3a9c2d81b54'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('product_image', schema=None) as batch_op:
        # Existing photos were all cropped to 4:3 ("fill"): the server default keeps them so.
        batch_op.add_column(sa.Column('framing', sa.String(length=4), server_default='fill',
                                      nullable=False))
        batch_op.create_check_constraint(batch_op.f('ck_product_image_framing_known'),
                                         "framing IN ('fill', 'fit')")


def downgrade():
    with op.batch_alter_table('product_image', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_product_image_framing_known'), type_='check')
        batch_op.drop_column('framing')
