"""product search index: search words on products, categories and facilities; the index per
dialect (SQLite FTS5 virtual table, PostgreSQL tsvector + pg_trgm) kept by triggers; the
Kanwil's search variants

Revision ID: 5e4c1a2b9d70
Revises: 43c55b91eec8
Create Date: 2026-12-06 10:00:00

"""
import sqlalchemy as sa
from alembic import op

from shop.core.text import fold_words

revision = '5e4c1a2b9d70'
down_revision = '43c55b91eec8'
branch_labels = None
depends_on = None

SQLITE_ROW = """
  SELECT NEW.id, NEW.search_name, c.search_name, f.search_name, NEW.search_text
  FROM category c, facility f WHERE c.id = NEW.category_id AND f.id = NEW.facility_id;"""

SQLITE = [
    "CREATE VIRTUAL TABLE product_fts USING fts5(name, category, facility, body, "
    "tokenize = 'unicode61 remove_diacritics 2')",
    "CREATE VIRTUAL TABLE product_fts_terms USING fts5vocab(product_fts, 'row')",
    "CREATE TRIGGER product_fts_insert AFTER INSERT ON product BEGIN "
    "INSERT INTO product_fts (rowid, name, category, facility, body)" + SQLITE_ROW + " END",
    "CREATE TRIGGER product_fts_update AFTER UPDATE OF search_name, search_text, category_id, "
    "facility_id ON product BEGIN DELETE FROM product_fts WHERE rowid = OLD.id; "
    "INSERT INTO product_fts (rowid, name, category, facility, body)" + SQLITE_ROW + " END",
    "CREATE TRIGGER product_fts_delete AFTER DELETE ON product BEGIN "
    "DELETE FROM product_fts WHERE rowid = OLD.id; END",
    "CREATE TRIGGER category_fts_update AFTER UPDATE OF search_name ON category BEGIN "
    "UPDATE product_fts SET category = NEW.search_name "
    "WHERE rowid IN (SELECT id FROM product WHERE category_id = NEW.id); END",
    "CREATE TRIGGER facility_fts_update AFTER UPDATE OF search_name ON facility BEGIN "
    "UPDATE product_fts SET facility = NEW.search_name "
    "WHERE rowid IN (SELECT id FROM product WHERE facility_id = NEW.id); END",
    "INSERT INTO product_fts (rowid, name, category, facility, body) "
    "SELECT p.id, p.search_name, c.search_name, f.search_name, p.search_text FROM product p "
    "JOIN category c ON c.id = p.category_id JOIN facility f ON f.id = p.facility_id",
]

POSTGRES = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    """CREATE TABLE product_search (
        product_id integer PRIMARY KEY REFERENCES product (id) ON DELETE CASCADE,
        name text NOT NULL, category text NOT NULL, facility text NOT NULL, body text NOT NULL,
        document tsvector GENERATED ALWAYS AS (to_tsvector('simple',
            name || ' ' || category || ' ' || facility || ' ' || body)) STORED)""",
    "CREATE INDEX ix_product_search_document ON product_search USING gin (document)",
    "CREATE INDEX ix_product_search_name_trgm ON product_search USING gin (name gin_trgm_ops)",
    """CREATE FUNCTION product_search_refresh() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      INSERT INTO product_search (product_id, name, category, facility, body)
      SELECT NEW.id, NEW.search_name, c.search_name, f.search_name, NEW.search_text
      FROM category c, facility f WHERE c.id = NEW.category_id AND f.id = NEW.facility_id
      ON CONFLICT (product_id) DO UPDATE SET name = EXCLUDED.name,
        category = EXCLUDED.category, facility = EXCLUDED.facility, body = EXCLUDED.body;
      RETURN NULL;
    END $$""",
    "CREATE TRIGGER product_search_insert AFTER INSERT ON product "
    "FOR EACH ROW EXECUTE FUNCTION product_search_refresh()",
    "CREATE TRIGGER product_search_update AFTER UPDATE OF search_name, search_text, "
    "category_id, facility_id ON product FOR EACH ROW EXECUTE FUNCTION product_search_refresh()",
    """CREATE FUNCTION product_search_category() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      UPDATE product_search s SET category = NEW.search_name FROM product p
      WHERE p.id = s.product_id AND p.category_id = NEW.id;
      RETURN NULL;
    END $$""",
    "CREATE TRIGGER category_search_update AFTER UPDATE OF search_name ON category "
    "FOR EACH ROW EXECUTE FUNCTION product_search_category()",
    """CREATE FUNCTION product_search_facility() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      UPDATE product_search s SET facility = NEW.search_name FROM product p
      WHERE p.id = s.product_id AND p.facility_id = NEW.id;
      RETURN NULL;
    END $$""",
    "CREATE TRIGGER facility_search_update AFTER UPDATE OF search_name ON facility "
    "FOR EACH ROW EXECUTE FUNCTION product_search_facility()",
    "INSERT INTO product_search (product_id, name, category, facility, body) "
    "SELECT p.id, p.search_name, c.search_name, f.search_name, p.search_text FROM product p "
    "JOIN category c ON c.id = p.category_id JOIN facility f ON f.id = p.facility_id",
]


def _backfill(bind):
    """The search words of the rows already there (computed in Python, as the app does)."""
    for row in bind.execute(sa.text("SELECT id, name, name_en FROM category")).all():
        bind.execute(sa.text("UPDATE category SET search_name = :s WHERE id = :id"),
                     {"s": fold_words(row.name, row.name_en), "id": row.id})
    for row in bind.execute(sa.text("SELECT id, name, town, regency FROM facility")).all():
        bind.execute(sa.text("UPDATE facility SET search_name = :s WHERE id = :id"),
                     {"s": fold_words(row.name, row.town, row.regency), "id": row.id})
    products = bind.execute(
        sa.text("SELECT id, name, name_en, description, description_en FROM product")
    ).all()
    for row in products:
        bind.execute(
            sa.text("UPDATE product SET search_name = :n, search_text = :t WHERE id = :id"),
            {"n": fold_words(row.name, row.name_en), "id": row.id,
             "t": fold_words(row.name, row.name_en, row.description, row.description_en)})


def upgrade():
    for table in ("category", "facility", "product"):
        with op.batch_alter_table(table) as batch:
            batch.add_column(sa.Column("search_name", sa.Text(), nullable=False,
                                       server_default=""))
    op.create_table(
        "search_variant",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("word", sa.String(length=60), nullable=False),
        sa.Column("canonical", sa.String(length=60), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_search_variant")),
        sa.UniqueConstraint("word", name=op.f("uq_search_variant_word")),
    )
    bind = op.get_bind()
    _backfill(bind)
    for statement in POSTGRES if bind.dialect.name == "postgresql" else SQLITE:
        op.execute(statement)


def downgrade():
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        op.execute("DROP TABLE product_search")
        for trigger, table in (("product_search_insert", "product"),
                               ("product_search_update", "product"),
                               ("category_search_update", "category"),
                               ("facility_search_update", "facility")):
            op.execute(f"DROP TRIGGER {trigger} ON {table}")
        for function in ("product_search_refresh", "product_search_category",
                         "product_search_facility"):
            op.execute(f"DROP FUNCTION {function}()")
    else:
        for trigger in ("product_fts_insert", "product_fts_update", "product_fts_delete",
                        "category_fts_update", "facility_fts_update"):
            op.execute(f"DROP TRIGGER {trigger}")
        op.execute("DROP TABLE product_fts_terms")
        op.execute("DROP TABLE product_fts")
    op.drop_table("search_variant")
    for table in ("product", "facility", "category"):
        with op.batch_alter_table(table) as batch:
            batch.drop_column("search_name")
