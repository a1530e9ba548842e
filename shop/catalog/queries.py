"""Read helpers shared by the catalogue pages and the API. Each runs a fixed number of queries."""

from sqlalchemy import func, or_, select
from sqlalchemy.orm import contains_eager, selectinload

from shop.catalog.filters import ProductFilter
from shop.catalog.models import Category, Product, ProductImage
from shop.catalog.search import match_clause, plan_search, ranked_fields, score
from shop.core.paging import Page
from shop.core.text import escape_like
from shop.extensions import db
from shop.facilities.models import Facility

ORDERINGS = {
    "newest": (Product.created_at.desc(), Product.id.desc()),
    "price_asc": (Product.price.asc(), Product.id.asc()),
    "price_desc": (Product.price.desc(), Product.id.asc()),
    "name": (Product.name.asc(), Product.id.asc()),
}


def _visible_products():
    """Active products of active facilities, with facility and category joined in."""
    return (
        select(Product)
        .join(Product.facility)
        .join(Product.category)
        .where(Product.status == "active", Facility.is_active.is_(True))
    )


def _with_listing_loads(stmt):
    return stmt.options(
        contains_eager(Product.facility),
        contains_eager(Product.category),
        selectinload(Product.images),
    )


def _apply_filter(stmt, f: ProductFilter, plan=None):
    if plan is not None:
        stmt = stmt.where(match_clause(plan, Product.id))
    if f.facility:
        stmt = stmt.where(Facility.slug == f.facility)
    if f.category:
        parent = db.aliased(Category)
        stmt = stmt.outerjoin(parent, Category.parent_id == parent.id).where(
            or_(Category.slug == f.category, parent.slug == f.category)
        )
    if f.flagship:
        stmt = stmt.where(Product.is_flagship.is_(True))
    if f.min_price is not None:
        stmt = stmt.where(Product.price >= f.min_price)
    if f.max_price is not None:
        stmt = stmt.where(Product.price <= f.max_price)
    if f.in_stock:
        stmt = stmt.where(Product.stock > 0)
    return stmt


def search_products(f: ProductFilter) -> Page:
    """One page of products matching the filter (2 queries + 1 for images; with search words
    one more for the word list, and relevance ranks the matches in Python)."""
    plan = plan_search(f.q) if f.q else None
    if plan is not None and plan.empty:
        return Page(items=[], total=0, page=1, per_page=f.per_page)
    if plan is not None and f.sort == "relevance":
        result = _by_relevance(f, plan)
    else:
        result = _by_ordering(f, plan)
    result.suggestion = plan.suggestion if plan is not None and not result.total else ""
    return result


def _by_relevance(f: ProductFilter, plan) -> Page:
    fields, key = ranked_fields()
    matches = db.session.execute(
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
        stmt = _with_listing_loads(_visible_products().where(Product.id.in_(ids)))
        found = {p.id: p for p in db.session.scalars(stmt).unique()}
    items = [found[i] for i in ids if i in found]
    return Page(items=items, total=total, page=page, per_page=f.per_page)


def _by_ordering(f: ProductFilter, plan) -> Page:
    base = _apply_filter(_visible_products(), f, plan)
    total = db.session.scalar(select(func.count()).select_from(base.subquery()))
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


def get_visible_product(slug: str) -> Product | None:
    stmt = _with_listing_loads(_visible_products().where(Product.slug == slug))
    return db.session.scalars(stmt).unique().one_or_none()


def more_from_facility(product: Product, limit=4) -> list[Product]:
    stmt = (
        _with_listing_loads(
            _visible_products().where(
                Product.facility_id == product.facility_id, Product.id != product.id
            )
        )
        .order_by(Product.is_flagship.desc(), Product.created_at.desc(), Product.id.desc())
        .limit(limit)
    )
    return list(db.session.scalars(stmt).unique())


def flagship_products(per_facility=3) -> list[Product]:
    """Active flagship products, at most `per_facility` per facility, ordered by facility then
    name (for grouping by facility on the home page)."""
    rank = func.row_number().over(
        partition_by=Product.facility_id, order_by=(Product.name, Product.id)
    ).label("rank")
    ranked = (
        _visible_products().where(Product.is_flagship.is_(True))
        .with_only_columns(Product.id, rank).subquery()
    )
    first = select(ranked.c.id).where(ranked.c.rank <= per_facility)
    stmt = (
        _with_listing_loads(_visible_products().where(Product.id.in_(first)))
        .order_by(Facility.name, Product.name)
    )
    return list(db.session.scalars(stmt).unique())


def facility_products(facility_id: int, limit=48) -> list[Product]:
    stmt = (
        _with_listing_loads(_visible_products().where(Product.facility_id == facility_id))
        .order_by(Product.is_flagship.desc(), Product.name)
        .limit(limit)
    )
    return list(db.session.scalars(stmt).unique())


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
