"""Reads of the product back office: a desk's product, its stock history and flagship
requests, a facility's product list. Each runs a fixed number of queries."""

from sqlalchemy import case, select
from sqlalchemy.orm import contains_eager, selectinload

from shop.accounts.models import User
from shop.catalog.models import FlagshipRequest, Product, StockAdjustment
from shop.extensions import db

STATUS_ORDER = case({"active": 0, "draft": 1, "archived": 2}, value=Product.status, else_=3)
HISTORY_LIMIT = 20


def desk_product(slug, facility_id: int | None = None) -> Product | None:
    """The product with this slug, within `facility_id` when the desk is one facility's (another
    facility's product is then None: a 404 whose slug leaks nothing)."""
    stmt = select(Product).where(Product.slug == slug)
    if facility_id is not None:
        stmt = stmt.where(Product.facility_id == facility_id)
    return db.session.scalar(stmt)


def stock_history(product_id, limit: int = HISTORY_LIMIT):
    """The latest stock adjustments, newest first, as (adjustment, user name, user e-mail)."""
    return db.session.execute(
        select(StockAdjustment, User.name, User.email)
        .outerjoin(User, User.id == StockAdjustment.user_id)
        .where(StockAdjustment.product_id == product_id)
        .order_by(StockAdjustment.id.desc())
        .limit(limit)
    ).all()


def flagship_requests_of(product_id) -> list[FlagshipRequest]:
    return list(db.session.scalars(
        select(FlagshipRequest).where(FlagshipRequest.product_id == product_id)
        .order_by(FlagshipRequest.id.desc())
    ))


def facility_desk_products(facility_id):
    """Every product of the facility (active, draft, archived; then by name) with category and
    photos loaded, the years of its pending flagship requests, and the count per status."""
    items = db.session.scalars(
        select(Product)
        .join(Product.category)
        .where(Product.facility_id == facility_id)
        .options(contains_eager(Product.category), selectinload(Product.images))
        .order_by(STATUS_ORDER, Product.name, Product.id)
    ).all()
    pending = {}
    for product_id, year in db.session.execute(
        select(FlagshipRequest.product_id, FlagshipRequest.year)
        .join(FlagshipRequest.product)
        .where(Product.facility_id == facility_id, FlagshipRequest.status == "pending")
        .order_by(FlagshipRequest.year)
    ):
        pending.setdefault(product_id, []).append(year)
    counts = {status: sum(1 for p in items if p.status == status)
              for status in ("active", "draft", "archived")}
    return items, pending, counts
