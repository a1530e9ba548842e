"""Read helpers shared by the catalogue pages and the API. Each runs a fixed number of queries."""

from dataclasses import dataclass

from sqlalchemy import Integer, bindparam, func, or_, select
from sqlalchemy.orm import contains_eager, selectinload

from shop.catalog.filters import ProductFilter
from shop.catalog.listing import (
    ACTIVE,
    CardProduct,
    card_products,
    card_select,
    cards_and_total,
    inline,
    prepared,
)
from shop.catalog.models import Category, CategoryText, Product, ProductImage
from shop.catalog.product_page import ProductView, page_statement, product_view
from shop.catalog.search import match_clause, plan_search, ranked_fields, score
from shop.core.cache import ContentMemo
from shop.core.database import read_rows
from shop.core.paging import Page
from shop.core.text import escape_like
from shop.extensions import db
from shop.facilities.models import Facility
from shop.facilities.queries import active_facility_ids

ORDERINGS = {
    "newest": (Product.created_at.desc(), Product.id.desc()),
    "price_asc": (Product.price.asc(), Product.id.asc()),
    "price_desc": (Product.price.desc(), Product.id.asc()),
    "name": (Product.name.asc(), Product.id.asc()),
}


def _visible_products(categories=True):
    """Active products of active facilities, with facility and category joined in (the
    category only when asked: every product has one, so counting needs it only to filter)."""
    stmt = select(Product).join(Product.facility)
    if categories:
        stmt = stmt.join(Product.category)
    return stmt.where(Product.status == ACTIVE, Facility.is_active.is_(True))


def _counted(f: ProductFilter, plan=None, bound=False):
    """How many products match: ids of the matching products, the facility joined only for a
    facility filter and the category only for a category filter. The active facilities are
    their ids (`:active_ids`, written into the statement), so that without those filters the
    count is an index-only scan of the active products' facility index, with no join."""
    stmt = select(Product.id)
    if f.facility:
        stmt = stmt.join(Product.facility)
    if f.category:
        stmt = stmt.join(Product.category)
    stmt = stmt.where(Product.status == ACTIVE, Product.facility_id.in_(
        bindparam("active_ids", expanding=True, literal_execute=True)))
    stmt = _apply_filter(stmt, f, plan, bound)
    return select(func.count()).select_from(stmt.subquery())


def _active_ids() -> dict:
    """The count's `:active_ids` (an IN list is never empty: no id is 0)."""
    return {"active_ids": active_facility_ids() or (0,)}


def _with_listing_loads(stmt):
    return stmt.options(
        contains_eager(Product.facility),
        contains_eager(Product.category),
        selectinload(Product.images),
    )


_BOUND = ("facility", "category", "min_price", "max_price")


def _filter_values(f: ProductFilter) -> dict:
    """The filter's values that _apply_filter(bound=True) takes as bound parameters."""
    return {name: getattr(f, name) for name in _BOUND if getattr(f, name) not in (None, "")}


def _apply_filter(stmt, f: ProductFilter, plan=None, bound=False):
    """`stmt` narrowed by the filter; with `bound`, the values are bound parameters named as
    in _BOUND (the statement then fits every filter of the same shape)."""
    def value(name):
        return bindparam(name) if bound else getattr(f, name)

    if plan is not None:
        stmt = stmt.where(match_clause(plan, Product.id))
    if f.facility:
        stmt = stmt.where(Facility.slug == value("facility"))
    if f.category:
        parent = db.aliased(Category)
        stmt = stmt.outerjoin(parent, Category.parent_id == parent.id).where(
            or_(Category.slug == value("category"), parent.slug == value("category"))
        )
    if f.flagship:
        stmt = stmt.where(Product.is_flagship.is_(True))
    if f.min_price is not None:
        stmt = stmt.where(Product.price >= value("min_price"))
    if f.max_price is not None:
        stmt = stmt.where(Product.price <= value("max_price"))
    if f.in_stock:
        stmt = stmt.where(Product.stock > 0)
    return stmt


def search_products(f: ProductFilter, cards: bool = False) -> Page:
    """One page of products matching the filter (2 queries + 1 for images; with search words
    one more for the word list, and relevance ranks the matches in Python). With `cards`, the
    page holds CardProducts (shop.catalog.listing): the first page read with its total in one
    statement, a later page in two (see _cards_by_ordering)."""
    plan = plan_search(f.q) if f.q else None
    if plan is not None and plan.empty:
        return Page(items=[], total=0, page=1, per_page=f.per_page)
    if plan is not None and f.sort == "relevance":
        result = _by_relevance(f, plan, cards)
    elif cards:
        result = _cards_by_ordering(f, plan)
    else:
        result = _by_ordering(f, plan)
    result.suggestion = plan.suggestion if plan is not None and not result.total else ""
    return result


def _by_relevance(f: ProductFilter, plan, cards=False) -> Page:
    fields, key = ranked_fields()
    matches = read_rows(
        _apply_filter(_visible_products(), f, plan)
        .join(fields, key == Product.id)
        .with_only_columns(Product.id, Product.created_at, fields.c.name, fields.c.category,
                           fields.c.facility)
    ).all()
    matches.sort(key=lambda row: (-score(plan, row._mapping), -row.created_at.timestamp(),
                                  -row.id))
    total = len(matches)
    pages = max(1, -(-total // f.per_page))
    page = min(f.page, pages)
    ids = [row.id for row in matches[(page - 1) * f.per_page:page * f.per_page]]
    found = {}
    if ids:
        stmt = _visible_products().where(Product.id.in_(ids))
        loaded = (card_products(card_select(stmt)) if cards
                  else db.session.scalars(_with_listing_loads(stmt)).unique())
        found = {p.id: p for p in loaded}
    items = [found[i] for i in ids if i in found]
    return Page(items=items, total=total, page=page, per_page=f.per_page)


def _by_ordering(f: ProductFilter, plan) -> Page:
    base = _apply_filter(_visible_products(), f, plan)
    total = db.session.scalar(_counted(f, plan), _active_ids())
    pages = max(1, -(-total // f.per_page))
    page = min(f.page, pages)
    stmt = (
        _with_listing_loads(base)
        .order_by(*ORDERINGS[f.sort])
        .limit(f.per_page)
        .offset((page - 1) * f.per_page)
    )
    items = list(db.session.scalars(stmt).unique())
    return Page(items=items, total=total, page=page, per_page=f.per_page)


def _cards_by_ordering(f: ProductFilter, plan) -> Page:
    """The page and the total. The first page (most visits) is one statement, the total an
    uncorrelated scalar subquery counted once beside the page's rows. A later page reads the
    total first, then the page (a page past the last one shows the last page). Two
    statements at most whatever the catalogue. (A count over the page's own statement,
    `count(*) OVER ()`, would read and sort every matching row to hand back 24, where the page
    is read from the ordering's index and the count is an index-only scan of ids.) Without
    search words the statements are built once per filter shape (bound values)."""
    values = _filter_values(f) if plan is None else {}
    shape = ("cards", tuple(values), f.flagship, f.in_stock, f.sort, f.per_page)

    def built(kind, build):
        return prepared((kind, *shape), build) if plan is None else build()

    def ordered():
        base = (_apply_filter(_visible_products(), f, bound=True) if plan is None
                else _apply_filter(_visible_products(), f, plan))
        return base.order_by(*ORDERINGS[f.sort]).limit(inline(f.per_page))

    def counted():
        return _counted(f, plan, bound=plan is None)

    params = {**values, **_active_ids()}
    if f.page == 1:
        items, total = cards_and_total(built("first_page", lambda: card_select(ordered())
                                             .add_columns(counted().scalar_subquery())), params)
        return Page(items=items, total=total or 0, page=1, per_page=f.per_page)
    total = read_rows(built("count", counted), params).scalar() or 0
    page = min(f.page, max(1, -(-total // f.per_page)))
    if total == 0:
        return Page(items=[], total=0, page=1, per_page=f.per_page)
    stmt = built("page", lambda: card_select(
        ordered().offset(bindparam("offset", type_=Integer, literal_execute=True))))
    items = card_products(stmt, {**values, "offset": (page - 1) * f.per_page})
    return Page(items=items, total=total, page=page, per_page=f.per_page)


def get_visible_product(slug: str) -> ProductView | None:
    """One visible product as the product page and the API show it (facility, category and its
    parent, photos): one statement, read as plain rows (shop.catalog.product_page)."""
    stmt = prepared("product_page", lambda: page_statement(_visible_products()))
    return product_view(read_rows(stmt, {"slug": slug}).all())


def more_from_facility(product: ProductView, limit=4) -> list[CardProduct]:
    stmt = prepared(("more", limit), lambda: card_select(
        _visible_products()
        .where(Product.facility_id == bindparam("facility_id"), Product.id != bindparam("id"))
        .order_by(Product.is_flagship.desc(), Product.created_at.desc(), Product.id.desc())
        .limit(inline(limit))
    ))
    return card_products(stmt, {"facility_id": product.facility_id, "id": product.id})


def _flagships(per_facility):
    rank = func.row_number().over(
        partition_by=Product.facility_id, order_by=(Product.name, Product.id)
    ).label("rank")
    ranked = (
        _visible_products().where(Product.is_flagship.is_(True))
        .with_only_columns(Product.id, rank).subquery()
    )
    first = select(ranked.c.id).where(ranked.c.rank <= per_facility)
    return card_select(
        _visible_products().where(Product.id.in_(first)).order_by(Facility.name, Product.name))


def flagship_products(per_facility=3) -> list[CardProduct]:
    """Active flagship products, at most `per_facility` per facility, ordered by facility then
    name (for grouping by facility on the home page)."""
    return card_products(prepared(("flagships", per_facility),
                                  lambda: _flagships(per_facility)))


def facility_products(facility_id: int, limit=48) -> list[CardProduct]:
    stmt = prepared(("facility_products", limit), lambda: card_select(
        _visible_products().where(Product.facility_id == bindparam("facility_id"))
        .order_by(Product.is_flagship.desc(), Product.name)
        .limit(inline(limit))
    ))
    return card_products(stmt, {"facility_id": facility_id})


@dataclass(frozen=True, slots=True)
class MenuCategory(CategoryText):
    """A category as the storefront's menus show it (filter, home page chips). Frozen, with
    its children as a tuple: a menu compares and hashes by what it shows, so a rendered menu
    can be kept under it (shop.core.templating.kept)."""

    slug: str
    name: str
    name_en: str | None
    children: tuple = ()


_MENU = select(Category.id, Category.parent_id, Category.slug, Category.name,
               Category.name_en).order_by(Category.position, Category.name)


def _build_menu(read):
    rows = read(_MENU)
    children = {row.id: [] for row in rows if row.parent_id is None}
    for row in rows:
        if row.parent_id in children:
            children[row.parent_id].append(MenuCategory(row.slug, row.name, row.name_en))
    return tuple(MenuCategory(row.slug, row.name, row.name_en, tuple(children[row.id]))
                 for row in rows if row.parent_id is None), None


_KEPT_MENU = ContentMemo(_build_menu)


def category_menu() -> tuple[MenuCategory, ...]:
    """Top-level categories with their children, as category_tree orders them (one query,
    kept by the process per content version: callers must not change what they get)."""
    return _KEPT_MENU.get()


def category_tree() -> list[Category]:
    """Top-level categories with their children loaded (2 queries)."""
    stmt = (
        select(Category)
        .where(Category.parent_id.is_(None))
        .options(selectinload(Category.children))
        .order_by(Category.position, Category.name)
    )
    return list(db.session.scalars(stmt))


def image_by_stem(stem: str) -> ProductImage | None:
    pattern = f"{escape_like(stem)}.%"
    return db.session.scalars(
        select(ProductImage).where(ProductImage.storage_key.like(pattern, escape="\\"))
    ).first()


def original_key_by_stem(stem: str) -> tuple[str, str] | None:
    """(storage key, framing) of the product photo with this stem (the media lookup)."""
    image = image_by_stem(stem)
    return (image.storage_key, image.framing) if image is not None else None


def category_by_id(category_id) -> Category | None:
    return db.session.get(Category, category_id)


def sitemap_products() -> list[tuple[str, object]]:
    """(slug, updated_at) of every product a visitor can open: for sitemap.xml."""
    stmt = _visible_products().with_only_columns(Product.slug, Product.updated_at).order_by(
        Product.slug)
    return [(slug, updated) for slug, updated in db.session.execute(stmt)]
