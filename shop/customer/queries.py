"""What the customer's account pages read."""

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import selectinload

from shop.catalog.models import ProductImage
from shop.core.text import email_identity
from shop.extensions import db
from shop.orders.models import FacilityOrder, Order

ORDERS_PER_PAGE = 20


def visible_to(user):
    """The orders a customer's history lists: those placed while signed in, and, once the
    account's e-mail is verified, those placed as a guest with that mailbox
    (Order.email_key, shop.core.text.email_identity)."""
    mine = Order.user_id == user.id
    key = email_identity(user.email) if getattr(user, "email_verified_at", None) else None
    if not key:
        return mine
    return or_(mine, and_(Order.user_id.is_(None), Order.email_key == key))


def orders_for_user(user, page: int = 1, per_page: int = ORDERS_PER_PAGE):
    """One page of the user's orders, newest first, with their parcels and lines, in a fixed
    number of queries. Returns (orders, has_next)."""
    page = max(page, 1)
    orders = db.session.scalars(
        select(Order).where(visible_to(user))
        .options(selectinload(Order.facility_orders).joinedload(FacilityOrder.facility),
                 selectinload(Order.facility_orders).selectinload(FacilityOrder.lines))
        .order_by(Order.created_at.desc(), Order.id.desc())
        .limit(per_page + 1)
        .offset((page - 1) * per_page)
    ).all()
    return orders[:per_page], len(orders) > per_page


def covers_for(orders) -> dict:
    """{product id: its first photo} for every line of these orders, in one query."""
    ids = {line.product_id for order in orders for fo in order.facility_orders
           for line in fo.lines if line.product_id}
    covers = {}
    if ids:
        for image in db.session.scalars(
            select(ProductImage).where(ProductImage.product_id.in_(ids))
            .order_by(ProductImage.product_id, ProductImage.position, ProductImage.id)
        ):
            covers.setdefault(image.product_id, image)
    return covers
