"""What the customer's account pages read."""

from sqlalchemy import func, select

from shop.extensions import db
from shop.orders.models import FacilityOrder, Order

ORDERS_PER_PAGE = 20


def orders_for_user(user, page: int = 1, per_page: int = ORDERS_PER_PAGE):
    """One page of the user's orders, newest first, each with its number of parcels, in one
    select. Returns (rows, has_next); a row is (Order, parcel_count)."""
    page = max(page, 1)
    parcels = (
        select(func.count(FacilityOrder.id))
        .where(FacilityOrder.order_id == Order.id)
        .correlate(Order)
        .scalar_subquery()
    )
    rows = db.session.execute(
        select(Order, parcels.label("parcels"))
        .where(Order.user_id == user.id)
        .order_by(Order.created_at.desc(), Order.id.desc())
        .limit(per_page + 1)
        .offset((page - 1) * per_page)
    ).all()
    return [(row[0], row[1]) for row in rows[:per_page]], len(rows) > per_page
