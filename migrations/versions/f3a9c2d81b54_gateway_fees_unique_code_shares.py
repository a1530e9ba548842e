"""gateway fees and unique-code shares: payment.fee / fee_source, the parcel's shares of the
unique code and the fee, the close snapshot's gateway fees, and one close in force per month
(partial unique index); order lines keep the product's English name as bought

Revision ID: f3a9c2d81b54
Revises: 5e4c1a2b9d70
Create Date: 2026-12-04 17:40:00

"""
import sqlalchemy as sa
from alembic import op

revision = 'f3a9c2d81b54'
down_revision = '5e4c1a2b9d70'
branch_labels = None
depends_on = None

IN_FORCE = sa.text("reopened_at IS NULL")


def upgrade():
    with op.batch_alter_table('payment') as batch:
        batch.add_column(sa.Column('fee', sa.BigInteger(), nullable=True))
        batch.add_column(sa.Column('fee_source', sa.String(length=20), nullable=True))
    with op.batch_alter_table('facility_order') as batch:
        batch.add_column(sa.Column('unique_code_share', sa.BigInteger(), nullable=False,
                                   server_default='0'))
        batch.add_column(sa.Column('gateway_fee', sa.BigInteger(), nullable=False,
                                   server_default='0'))
    with op.batch_alter_table('month_close_figure') as batch:
        batch.add_column(sa.Column('gateway_fees', sa.BigInteger(), nullable=False,
                                   server_default='0'))
    with op.batch_alter_table('order_line') as batch:  # the English name, as bought
        batch.add_column(sa.Column('product_name_en', sa.String(length=160), nullable=True))
    op.execute("UPDATE order_line SET product_name_en = (SELECT p.name_en FROM product p "
               "WHERE p.id = order_line.product_id)")
    op.create_index('uq_month_close_in_force', 'month_close', ['year', 'month'], unique=True,
                    sqlite_where=IN_FORCE, postgresql_where=IN_FORCE)
    # Bank transfers confirmed before this revision: their unique code spread over the
    # parcels (largest remainder is the services' job; here the whole code goes to the
    # order's first parcel, which keeps the month's sum right) and no gateway fee.
    op.execute("""
        UPDATE facility_order SET unique_code_share = (
            SELECT COALESCE(MAX(p.unique_code), 0) FROM payment p
            WHERE p.order_id = facility_order.order_id AND p.provider = 'bank_transfer'
              AND p.status = 'succeeded')
        WHERE id IN (SELECT MIN(fo.id) FROM facility_order fo GROUP BY fo.order_id)""")
    op.execute("UPDATE payment SET fee = 0, fee_source = 'none' "
               "WHERE status = 'succeeded' AND provider IN ('bank_transfer', 'pay_at_pickup')")


def downgrade():
    op.drop_index('uq_month_close_in_force', table_name='month_close')
    with op.batch_alter_table('order_line') as batch:
        batch.drop_column('product_name_en')
    with op.batch_alter_table('month_close_figure') as batch:
        batch.drop_column('gateway_fees')
    with op.batch_alter_table('facility_order') as batch:
        batch.drop_column('gateway_fee')
        batch.drop_column('unique_code_share')
    with op.batch_alter_table('payment') as batch:
        batch.drop_column('fee_source')
        batch.drop_column('fee')
