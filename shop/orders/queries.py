"""Loading an order with everything its page shows, in a fixed number of queries."""

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from shop.extensions import db
from shop.orders.models import FacilityOrder, Order


def order_for_page(order_id: int) -> Order:
    return db.session.scalar(
        select(Order).where(Order.id == order_id)
        .options(
            selectinload(Order.facility_orders).joinedload(FacilityOrder.facility),
            selectinload(Order.facility_orders).selectinload(FacilityOrder.lines),
            selectinload(Order.facility_orders).selectinload(FacilityOrder.events),
        )
        .execution_options(populate_existing=True)
    )
