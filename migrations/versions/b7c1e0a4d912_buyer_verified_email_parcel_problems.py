"""buyers: verified e-mail on accounts, parcel problem reports

Revision ID: b7c1e0a4d912
Revises: 26b6161f0e88
Create Date: 2026-12-05 09:00:00

"""
from alembic import op
import sqlalchemy as sa


revision = 'b7c1e0a4d912'
down_revision = '26b6161f0e88'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('user_account', schema=None) as batch_op:
        batch_op.add_column(sa.Column('email_verified_at', sa.DateTime(), nullable=True))
    op.create_table(
        'parcel_problem',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('facility_order_id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=20), nullable=False),
        sa.Column('text', sa.Text(), nullable=False),
        sa.Column('photo_key', sa.String(length=200), nullable=True),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.CheckConstraint("kind IN ('damaged', 'missing', 'wrong_item')",
                           name=op.f('ck_parcel_problem_kind_known')),
        sa.ForeignKeyConstraint(['facility_order_id'], ['facility_order.id'],
                                name=op.f('fk_parcel_problem_facility_order_id_facility_order'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_parcel_problem')),
    )
    with op.batch_alter_table('parcel_problem', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_parcel_problem_facility_order_id'),
                              ['facility_order_id'], unique=False)


def downgrade():
    with op.batch_alter_table('parcel_problem', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_parcel_problem_facility_order_id'))
    op.drop_table('parcel_problem')
    with op.batch_alter_table('user_account', schema=None) as batch_op:
        batch_op.drop_column('email_verified_at')
