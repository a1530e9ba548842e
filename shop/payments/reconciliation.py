"""Payments reconciliation per WIT month and way of paying: money the gateway (or the bank)
confirmed, orders paid, refunds paid, and the differences order by order.

One reconciler per method, in METHODS (order = order shown). Only `card` (Stripe) exists
today; Midtrans (by channel), bank transfer and pay-at-pickup add a function of the same shape
here when they are built (their confirmations live in their own tables).

Definitions for `card`: confirmed = payments with status 'succeeded' (the gateway's word) of
orders paid in the month, whatever their number; orders paid = the totals of the orders whose
`paid_at` is in the month; refunds paid = refunds with status 'succeeded' made in the month.
A difference: an order paid in the month whose succeeded card payments do not add up to its
total (none, or more than one: a double payment to give back), or a succeeded payment of an
order that is not paid (e.g. an amount mismatch).
"""

from dataclasses import dataclass, field

from flask_babel import gettext as _
from sqlalchemy import func, select

from shop.core.time import wit_month_as_utc
from shop.extensions import db
from shop.orders.models import Order
from shop.payments.models import Payment, Refund


@dataclass
class Difference:
    order: str
    order_total: int
    confirmed: int
    note: str


@dataclass
class MethodReconciliation:
    method: str
    confirmed: int = 0
    orders_paid: int = 0
    orders_count: int = 0
    refunds_paid: int = 0
    differences: list[Difference] = field(default_factory=list)

    @property
    def balance(self) -> int:
        """Confirmed money minus orders paid: 0 when every payment matches its order."""
        return self.confirmed - self.orders_paid


def _card(start, end) -> MethodReconciliation:
    result = MethodReconciliation("card")
    succeeded = (select(Payment.order_id, func.sum(Payment.amount).label("amount"),
                        func.count().label("n"))
                 .where(Payment.provider == "stripe", Payment.status == "succeeded")
                 .group_by(Payment.order_id).subquery())
    rows = db.session.execute(
        select(Order.number, Order.total, Order.paid_at, succeeded.c.amount, succeeded.c.n)
        .outerjoin(succeeded, succeeded.c.order_id == Order.id)
        .where(Order.paid_at >= start, Order.paid_at < end)
        .order_by(Order.paid_at, Order.id)).all()
    for number, total, _paid_at, amount, count in rows:
        amount, count = int(amount or 0), int(count or 0)
        result.orders_paid += int(total)
        result.orders_count += 1
        result.confirmed += amount
        if amount != total:
            note = (_("tidak ada pembayaran kartu yang berhasil") if count == 0 else
                    _("%(n)s pembayaran berhasil", n=count) if count > 1 else
                    _("jumlah berbeda"))
            result.differences.append(Difference(number, int(total), amount, note))
    stray = db.session.execute(
        select(Order.number, Order.total, Payment.amount)
        .join(Order, Order.id == Payment.order_id)
        .where(Payment.provider == "stripe", Payment.status.in_(("succeeded", "amount_mismatch")),
               Order.paid_at.is_(None), Payment.updated_at >= start, Payment.updated_at < end)
    ).all()
    for number, total, amount in stray:
        result.differences.append(Difference(number, int(total), int(amount),
                                             _("dibayar di gateway, pesanan tidak dibayar")))
    result.refunds_paid = int(db.session.scalar(
        select(func.coalesce(func.sum(Refund.amount), 0))
        .join(Payment, Payment.id == Refund.payment_id)
        .where(Payment.provider == "stripe", Refund.status == "succeeded",
               Refund.created_at >= start, Refund.created_at < end)) or 0)
    return result


METHODS = {"card": _card}


def reconcile(year: int, month: int) -> list[MethodReconciliation]:
    start, end = wit_month_as_utc(year, month)
    return [reconciler(start, end) for reconciler in METHODS.values()]
