"""Payments reconciliation per WIT month and way of paying: money the gateway (or the bank)
confirmed, orders paid, refunds paid, and the differences order by order.

One reconciler per method, in METHODS (order = order shown): card (Stripe), bank transfer
(confirmed by the Kanwil), pay at pickup (recorded by the facilities) and Midtrans, one part
per channel (QRIS, virtual account, e-wallets...).

Definitions: confirmed = the money of the method's succeeded payments (the gateway's word, or
the amount received as recorded by a person) of orders paid in the month; orders paid = the
totals of the orders of that method whose `paid_at` is in the month; refunds paid = refunds
with status 'succeeded' made in the month. A difference: an order paid in the month whose
succeeded payments do not add up to what it owed (its total, plus the unique code for a
transfer; none, or more than one payment: a double payment to give back), or a succeeded
payment of an order that is not paid (e.g. an amount mismatch). A transfer's balance is the
sum of its unique codes: money received that is not revenue. Gateway fees: the fees of the
succeeded payments of the month's orders (shop.payments.fees: reported by Stripe, the contract
rate for Midtrans, none for a transfer or the counter); net = confirmed - fees, what reaches
the shop's account.
"""

from dataclasses import dataclass, field

from flask_babel import gettext as _
from sqlalchemy import case, func, select

from shop.core.time import wit_month_as_utc
from shop.extensions import db
from shop.orders.models import Order
from shop.payments.methods import METHODS as METHOD_BY_CODE
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
    label: str = ""
    confirmed: int = 0
    orders_paid: int = 0
    orders_count: int = 0
    refunds_paid: int = 0
    fees: int = 0
    fees_unknown: int = 0  # succeeded payments whose fee is not recorded yet
    differences: list[Difference] = field(default_factory=list)

    @property
    def balance(self) -> int:
        """Confirmed money minus orders paid: 0 when every payment matches its order."""
        return self.confirmed - self.orders_paid

    @property
    def net(self) -> int:
        """What reaches the shop's account: confirmed money minus the gateways' fees."""
        return self.confirmed - self.fees


@dataclass(frozen=True)
class Source:
    """Where a method's confirmations are: its payment rows (provider), which column holds the
    money that came in, and what an order of that method owes (total, + the unique code for a
    transfer)."""

    method: str
    provider: str
    amount: object  # a column of Payment
    with_code: bool = False
    channel: str | None = None  # Midtrans: one reconciliation per channel


def _orders_paid(source: Source, start, end):
    paid = (select(Payment.order_id, func.sum(source.amount).label("amount"),
                   func.count().label("n"), func.max(Payment.unique_code).label("code"),
                   func.sum(Payment.fee).label("fee"),
                   func.sum(case((Payment.fee.is_(None), 1), else_=0)).label("unknown"))
            .where(Payment.provider == source.provider, Payment.status == "succeeded")
            .group_by(Payment.order_id))
    if source.channel is not None:
        paid = paid.where(Payment.channel == source.channel)
    paid = paid.subquery()
    stmt = (select(Order.number, Order.total, paid.c.amount, paid.c.n, paid.c.code,
                   paid.c.fee, paid.c.unknown)
            .outerjoin(paid, paid.c.order_id == Order.id)
            .where(Order.paid_at >= start, Order.paid_at < end,
                   Order.payment_method == source.method)
            .order_by(Order.paid_at, Order.id))
    if source.channel is not None:
        stmt = stmt.where(paid.c.n.isnot(None))
    return db.session.execute(stmt).all()


def _difference_note(count: int) -> str:
    if count == 0:
        return _("tidak ada pembayaran yang berhasil")
    if count > 1:
        return _("%(n)s pembayaran berhasil", n=count)
    return _("jumlah berbeda")


def _reconcile(source: Source, start, end) -> MethodReconciliation:
    code = f"{source.method}:{source.channel}" if source.channel else source.method
    label = str(METHOD_BY_CODE[source.method].label)
    result = MethodReconciliation(code, f"{label} — {source.channel}" if source.channel else label)
    for number, total, amount, count, code, fee, unknown in _orders_paid(source, start, end):
        amount, count = int(amount or 0), int(count or 0)
        result.fees += int(fee or 0)
        result.fees_unknown += int(unknown or 0)
        owed = int(total) + (int(code or 0) if source.with_code else 0)
        result.orders_paid += int(total)
        result.orders_count += 1
        result.confirmed += amount
        if amount != owed:
            result.differences.append(Difference(number, owed, amount, _difference_note(count)))
    stray = db.session.execute(
        select(Order.number, Order.total, source.amount)
        .join(Order, Order.id == Payment.order_id)
        .where(Payment.provider == source.provider,
               Payment.status.in_(("succeeded", "amount_mismatch")),
               Order.paid_at.is_(None), Payment.updated_at >= start, Payment.updated_at < end)
    ).all()
    for number, total, amount in stray:
        result.differences.append(Difference(number, int(total), int(amount or 0),
                                             _("dibayar di gateway, pesanan tidak dibayar")))
    refunds = (select(func.coalesce(func.sum(Refund.amount), 0))
               .join(Payment, Payment.id == Refund.payment_id)
               .where(Payment.provider == source.provider, Refund.status == "succeeded",
                      Refund.created_at >= start, Refund.created_at < end))
    if source.channel is not None:
        refunds = refunds.where(Payment.channel == source.channel)
    result.refunds_paid = int(db.session.scalar(refunds) or 0)
    return result


# Card: Stripe's word. Bank transfer: what the Kanwil confirmed from the statement (the order
# total plus its unique code, which is not revenue: the balance shows it). Pay at pickup: what
# the facilities' staff recorded at the counter. Midtrans: per channel (QRIS, VA, e-wallets).
SOURCES = [Source("card", "stripe", Payment.amount),
           Source("bank_transfer", "bank_transfer", Payment.received_amount, with_code=True),
           Source("pay_at_pickup", "pay_at_pickup", Payment.received_amount)]


def _midtrans_channels(start, end) -> list[MethodReconciliation]:
    channels = db.session.scalars(
        select(Payment.channel).where(Payment.provider == "midtrans",
                                      Payment.status == "succeeded",
                                      Payment.updated_at >= start, Payment.updated_at < end)
        .distinct()).all()
    return [_reconcile(Source("midtrans", "midtrans", Payment.amount, channel=channel),
                       start, end)
            for channel in sorted(c for c in channels if c)]


METHODS = {source.method: (lambda start, end, source=source: [_reconcile(source, start, end)])
           for source in SOURCES}
METHODS["midtrans"] = _midtrans_channels


def reconcile(year: int, month: int) -> list[MethodReconciliation]:
    start, end = wit_month_as_utc(year, month)
    return [part for reconciler in METHODS.values() for part in reconciler(start, end)]
