"""outbox: mails queued with the ids of what they show, rendered when first read (template,
context, locale; the bodies may be empty until then)

Revision ID: 9d4e2a7c5b18
Revises: 7b2e4f0c9a13
Create Date: 2026-12-04 23:10:00

"""
import sqlalchemy as sa
from alembic import op

revision = '9d4e2a7c5b18'
down_revision = '7b2e4f0c9a13'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('outbox_message') as batch:
        batch.add_column(sa.Column('template', sa.String(length=60), nullable=True))
        batch.add_column(sa.Column('context', sa.JSON(), nullable=True))
        batch.add_column(sa.Column('locale', sa.String(length=10), nullable=True))
        batch.alter_column('text_body', existing_type=sa.Text(), nullable=True)
        batch.alter_column('html_body', existing_type=sa.Text(), nullable=True)


def downgrade():
    # Mails still waiting to be rendered cannot be rendered here: they leave the queue
    # (failed) before the bodies become required again.
    op.execute("UPDATE outbox_message SET text_body = '', html_body = '', status = 'failed', "
               "last_error = 'not rendered before downgrade' WHERE text_body IS NULL")
    with op.batch_alter_table('outbox_message') as batch:
        batch.alter_column('html_body', existing_type=sa.Text(), nullable=False)
        batch.alter_column('text_body', existing_type=sa.Text(), nullable=False)
        batch.drop_column('locale')
        batch.drop_column('context')
        batch.drop_column('template')
