"""PostgreSQL: a product's stock change and a new catalogue content version are notified on
channel shop_live at commit (shop.core.live_mirror keeps each process's copy by them)

Revision ID: c4f1a8e2d6b7
Revises: 9d4e2a7c5b18
Create Date: 2026-12-04 23:30:00

"""
from alembic import op

revision = 'c4f1a8e2d6b7'
down_revision = '9d4e2a7c5b18'
branch_labels = None
depends_on = None

UPGRADE = [
    """
    CREATE FUNCTION shop_live_stock() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        PERFORM pg_notify('shop_live', NEW.id::text);
        RETURN NULL;
    END $$
    """,
    """
    CREATE TRIGGER product_stock_notify AFTER UPDATE OF stock ON product
    FOR EACH ROW WHEN (OLD.stock IS DISTINCT FROM NEW.stock)
    EXECUTE FUNCTION shop_live_stock()
    """,
    """
    CREATE FUNCTION shop_live_version() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        PERFORM pg_notify('shop_live', 'v');
        RETURN NULL;
    END $$
    """,
    """
    CREATE TRIGGER cache_version_notify AFTER INSERT OR UPDATE OR DELETE ON cache_version
    FOR EACH STATEMENT EXECUTE FUNCTION shop_live_version()
    """,
]

DOWNGRADE = [
    "DROP TRIGGER cache_version_notify ON cache_version",
    "DROP FUNCTION shop_live_version()",
    "DROP TRIGGER product_stock_notify ON product",
    "DROP FUNCTION shop_live_stock()",
]


def upgrade():
    if op.get_bind().dialect.name == "postgresql":
        for statement in UPGRADE:
            op.execute(statement)


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        for statement in DOWNGRADE:
            op.execute(statement)
