"""Loading an order with everything its page shows, in a fixed number of queries."""

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from shop.extensions import db
from shop.orders.models import FacilityOrder, Order
from shop.payments.models import Payment, Refund


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


def refunds_of(order: Order) -> list[Refund]:
    return list(db.session.scalars(
        select(Refund).join(Refund.payment).where(Payment.order_id == order.id)
        .order_by(Refund.id)
    ))


def orders_of_user(user_id: int) -> list[Order]:
    return list(db.session.scalars(
        select(Order).where(Order.user_id == user_id).order_by(Order.created_at.desc())
    ))
