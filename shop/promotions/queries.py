"""Reads about promotions shared by pages, desks and the API (none of them reads orders:
the figures over paid orders live in shop.orders.promotion_figures)."""

from sqlalchemy import func, or_, select
from sqlalchemy.orm import contains_eager, joinedload, selectinload

from shop.catalog.models import Category, Product
from shop.catalog.queries import category_tree
from shop.core.paging import Page
from shop.extensions import db
from shop.facilities.models import Facility
from shop.promotions.models import ParcelDiscount, Promotion, PromotionTarget
from shop.promotions.validation import TARGET_KIND, TARGET_MODEL

RECENT = 200


def discounts_by_parcel(order) -> dict[int, list[ParcelDiscount]]:
    """The order's discounts grouped by facility order id (one query)."""
    parcel_ids = [fo.id for fo in order.facility_orders]
    if not parcel_ids:
        return {}
    rows = db.session.scalars(
        select(ParcelDiscount).where(ParcelDiscount.facility_order_id.in_(parcel_ids))
        .options(joinedload(ParcelDiscount.promotion)).order_by(ParcelDiscount.id)
    ).all()
    result = {}
    for row in rows:
        result.setdefault(row.facility_order_id, []).append(row)
    return result


# ------------------------------------------------------------------ the partner desk

def partner_promotions(partner_id: int) -> list[Promotion]:
    return list(db.session.scalars(
        select(Promotion).where(Promotion.partner_id == partner_id)
        .order_by(Promotion.created_at.desc(), Promotion.id.desc())))


def partner_promotion(partner_id: int, promotion_id: int) -> Promotion | None:
    """One promotion of the organisation, or None (another organisation's is "not found")."""
    return db.session.scalar(
        select(Promotion).where(Promotion.id == promotion_id,
                                Promotion.partner_id == partner_id)
        .options(selectinload(Promotion.targets)))


def target_names(promotion: Promotion) -> list[str]:
    """Names of the facilities, categories or products a scoped promotion applies to."""
    if promotion.scope == "all":
        return []
    kind = TARGET_KIND[promotion.scope]
    model = TARGET_MODEL[kind]
    column = getattr(PromotionTarget, f"{kind}_id")
    return list(db.session.scalars(
        select(model.name).join(PromotionTarget, column == model.id)
        .where(PromotionTarget.promotion_id == promotion.id).order_by(model.name)))


# ------------------------------------------------------------------ the Kanwil

def promotion_for_review(promotion_id: int) -> Promotion | None:
    return db.session.scalar(
        select(Promotion).where(Promotion.id == promotion_id)
        .options(selectinload(Promotion.partner), selectinload(Promotion.targets)))


def recent_promotions(*criteria) -> list[Promotion]:
    """The latest changed promotions matching `criteria` (at most RECENT), with partners."""
    return list(db.session.scalars(
        select(Promotion).where(*criteria).options(selectinload(Promotion.partner))
        .order_by(Promotion.updated_at.desc(), Promotion.id.desc()).limit(RECENT)))


def review_lists() -> tuple[list[Promotion], list[Promotion]]:
    """(waiting for a decision, decided) for the Kanwil's list."""
    return (recent_promotions(Promotion.approval == "pending"),
            recent_promotions(Promotion.approval.in_(("approved", "rejected"))))


# ------------------------------------------------------------------ the landing page

def approved_promotion(slug: str) -> Promotion | None:
    return db.session.scalar(
        select(Promotion).where(Promotion.slug == slug, Promotion.approval == "approved")
        .options(selectinload(Promotion.partner)))


def products_in_scope_stmt(promotion: Promotion):
    """Active products of active facilities the promotion applies to, as the cart decides
    (a category target covers its sub-categories). Subqueries, not a list of ids: the
    number of queries does not grow with the products."""
    stmt = (select(Product).join(Product.facility).join(Product.category)
            .where(Product.status == "active", Facility.is_active.is_(True)))
    if promotion.scope == "all":
        return stmt
    kind = TARGET_KIND[promotion.scope]
    targets = select(getattr(PromotionTarget, f"{kind}_id")).where(
        PromotionTarget.promotion_id == promotion.id)
    if kind == "facility":
        return stmt.where(Product.facility_id.in_(targets))
    if kind == "product":
        return stmt.where(Product.id.in_(targets))
    return stmt.where(or_(Product.category_id.in_(targets), Category.parent_id.in_(targets)))


def products_in_scope(promotion: Promotion, page: int, per_page: int) -> Page:
    """One page of the products in scope, flagships first (a page past the end shows the
    last one). Three queries: count, products, images."""
    base = products_in_scope_stmt(promotion)
    total = db.session.scalar(select(func.count()).select_from(base.subquery()))
    page = min(page, max(1, -(-total // per_page)))
    items = list(db.session.scalars(
        base.options(contains_eager(Product.facility), contains_eager(Product.category),
                     selectinload(Product.images))
        .order_by(Product.is_flagship.desc(), Product.name, Product.id)
        .limit(per_page).offset((page - 1) * per_page)
    ).unique())
    return Page(items=items, total=total, page=page, per_page=per_page)


# ------------------------------------------------------------------ the draft form's choices

def scope_choices(promotion: Promotion | None = None):
    """(facilities, category tree, (product id, name, facility name) rows) a promotion may
    target; its current targets stay choosable even if since archived (4 queries)."""
    def current(column):
        if promotion is None:
            return []
        return [getattr(t, column) for t in promotion.targets if getattr(t, column)]

    facilities = list(db.session.scalars(
        select(Facility).where(or_(Facility.is_active.is_(True),
                                   Facility.id.in_(current("facility_id"))))
        .order_by(Facility.name)))
    categories = category_tree()
    products = db.session.execute(
        select(Product.id, Product.name, Facility.name)
        .join(Facility, Facility.id == Product.facility_id)
        .where(or_(Product.status == "active", Product.id.in_(current("product_id"))))
        .order_by(Facility.name, Product.name, Product.id)
    ).all()
    return facilities, categories, products
