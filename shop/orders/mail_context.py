"""What the mails about an order show besides the order itself: its promotion discounts, per
parcel and per promotion, so every mail's rows (goods, shipping, each discount, total) add up.
And the context builders of the order mails rendered when first read (shop.mail.rendering):
they are queued with the order's and the parcel's ids."""

from functools import cache

from sqlalchemy import bindparam, select
from sqlalchemy.orm import joinedload, selectinload

from shop.extensions import db
from shop.mail.rendering import MailSubjectGone, context_builder
from shop.orders.models import FacilityOrder, Order
from shop.promotions.queries import discounts_by_parcel


def discount_context(order) -> dict:
    """{"discounts": {parcel id: [ParcelDiscount]}, "order_discounts": [(name, amount)]}:
    one query, none for an order without discounts."""
    if not order.discount_total:
        return {"discounts": {}, "order_discounts": []}
    by_parcel = discounts_by_parcel(order)
    totals: dict[str, int] = {}
    for rows in by_parcel.values():
        for row in rows:
            totals[row.promotion.name] = totals.get(row.promotion.name, 0) + row.amount
    return {"discounts": by_parcel, "order_discounts": list(totals.items())}


@cache
def _mail_order_statement():
    """The order with what its mails show (parcels, their facilities and lines), built once."""
    return (
        select(Order).where(Order.id == bindparam("order_id"))
        .options(selectinload(Order.facility_orders).options(
            joinedload(FacilityOrder.facility), selectinload(FacilityOrder.lines)))
    )


def _order_context(order_id: int) -> dict:
    order = db.session.scalar(_mail_order_statement(), {"order_id": order_id})
    if order is None:
        raise MailSubjectGone(f"order {order_id} no longer exists")
    return {"order": order, **discount_context(order)}


@context_builder("order_paid")
@context_builder("pickup_order_placed")
def order_mail(order: int) -> dict:
    """The buyer's mails about the whole order."""
    return _order_context(order)


@context_builder("facility_new_order")
def parcel_mail(order: int, parcel: int, unpaid: bool = False) -> dict:
    """A facility's mail about its parcel of the order."""
    context = _order_context(order)
    fo = next((fo for fo in context["order"].facility_orders if fo.id == parcel), None)
    if fo is None:
        raise MailSubjectGone(f"parcel {parcel} is not in order {order}")
    return {**context, "fo": fo, "unpaid": unpaid}
