"""Reads of payments and refunds that pages and the API share."""

from sqlalchemy import select

from shop.extensions import db
from shop.orders.models import Order
from shop.payments.models import Payment, Refund


def refunds_of(order: Order) -> list[Refund]:
    return list(db.session.scalars(
        select(Refund).join(Refund.payment).where(Payment.order_id == order.id)
        .order_by(Refund.id)
    ))
