"""Reads about promotions shared by pages and the API."""

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from shop.extensions import db
from shop.orders.models import FacilityOrder
from shop.promotions.models import ParcelDiscount


def discounts_by_parcel(order) -> dict[int, list[ParcelDiscount]]:
    """The order's discounts grouped by facility order id (one query)."""
    rows = db.session.scalars(
        select(ParcelDiscount).join(FacilityOrder, ParcelDiscount.facility_order_id
                                    == FacilityOrder.id)
        .where(FacilityOrder.order_id == order.id)
        .options(joinedload(ParcelDiscount.promotion)).order_by(ParcelDiscount.id)
    ).all()
    result = {}
    for row in rows:
        result.setdefault(row.facility_order_id, []).append(row)
    return result
