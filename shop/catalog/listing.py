"""What a product card shows, read as plain rows in one statement (no ORM entities).

The storefront's lists (the product list, the home page's flagships, a facility's products,
"more from this facility") only render cards. Loading them as Product entities with their
facility, category and every photo costs more than the page's HTML: here one statement reads
the card's columns, the facility's name and slug, the category's parent (for promotions scoped
to a category tree) and the cover photo's key, into `CardProduct`s that answer what cards,
promotion marks and stock slots ask of a product.
"""

from dataclasses import dataclass

from sqlalchemy import literal_column, select

from shop.catalog.models import Category, Product, ProductImage
from shop.core.database import fixed_statement, read_rows
from shop.facilities.models import Facility


@dataclass(frozen=True, slots=True)
class FacilityRef:
    slug: str
    name: str


@dataclass(frozen=True, slots=True)
class CategoryRef:
    id: int
    parent_id: int | None


@dataclass(frozen=True, slots=True)
class CoverRef:
    storage_key: str


@dataclass(slots=True)
class CardProduct:
    id: int
    slug: str
    name: str
    name_en: str | None
    price: int
    unit: str
    stock: int
    is_flagship: bool
    flagship_year: int | None
    facility_id: int
    category_id: int
    facility: FacilityRef
    category: CategoryRef
    cover: CoverRef | None

    def localized_name(self, locale="id"):
        return self.name_en if locale == "en" and self.name_en else self.name


# The storefront's constants are written into its statements, not bound: PostgreSQL then
# plans a prepared statement once (a generic plan) instead of on every execution (a bound
# status cannot use the partial indexes in a generic plan; a bound LIMIT makes it guess).
ACTIVE = literal_column("'active'")


def inline(number: int):
    """A number written into the statement (a LIMIT, an OFFSET)."""
    return literal_column(str(int(number)))


def _cover_key():
    return (
        select(ProductImage.storage_key)
        .where(ProductImage.product_id == Product.id)
        .order_by(ProductImage.position, ProductImage.id)
        .limit(inline(1))
        .scalar_subquery()
    )


CARD_COLUMNS = (
    Product.id, Product.slug, Product.name, Product.name_en, Product.price, Product.unit,
    Product.stock, Product.is_flagship, Product.flagship_year, Product.facility_id,
    Product.category_id, Category.parent_id, Facility.slug, Facility.name,
)


def card_select(stmt):
    """`stmt` (a select of Product joined to its Facility and Category, with its filters and
    order) reading only a card's columns."""
    return stmt.with_only_columns(*CARD_COLUMNS, _cover_key())


def _card(row) -> CardProduct:
    (pid, slug, name, name_en, price, unit, stock, flagship, year, facility_id, category_id,
     parent_id, facility_slug, facility_name, cover_key) = row
    return CardProduct(
        pid, slug, name, name_en, price, unit, stock, flagship, year, facility_id, category_id,
        FacilityRef(facility_slug, facility_name), CategoryRef(category_id, parent_id),
        CoverRef(cover_key) if cover_key is not None else None,
    )


def card_products(stmt, params=None) -> list[CardProduct]:
    """Run a `card_select` statement."""
    return [_card(row) for row in read_rows(stmt, params)]


def cards_and_total(stmt, params=None) -> tuple[list[CardProduct], int | None]:
    """Run a `card_select` statement with one more column, the total (the same in every row):
    the cards, and the total (None when no row came back)."""
    rows = read_rows(stmt, params).all()
    return [_card(row[:-1]) for row in rows], (rows[0][-1] if rows else None)


_PREPARED: dict = {}


def prepared(key, build):
    """The statement `build()` makes, built once per process under `key`: building a select
    (joins, filters, columns) costs more CPU than SQLite takes to run it, so the catalogue's
    fixed-shape statements take their values as bound parameters and are built only once."""
    stmt = _PREPARED.get(key)
    if stmt is None:
        stmt = _PREPARED[key] = fixed_statement(build())
    return stmt
