"""Money received beside the price of the goods, kept apart and never split
(shop.payments.accounting): the bank-transfer unique code and the gateway's fee.

Both belong to a payment, i.e. to a whole order; each parcel of the order carries its share
(`facility_order.unique_code_share`, `facility_order.gateway_fee`), in proportion to the
parcels' totals, whole rupiah, largest remainder first, so a month's parcels add up to the
payments' codes and fees exactly and every facility's statement shows its part.

Where a fee comes from (`payment.fee_source`):
- "gateway": the gateway reported it (Stripe: the balance transaction of the payment's charge);
- "contract": the channel's contracted rate (Midtrans reports no fee per payment; its rates
  are `MIDTRANS_FEES`, percent in basis points + a fixed amount, e.g. QRIS 0.7 %,
  a virtual account Rp4.000);
- "none": money that passes no gateway (bank transfer to the shop's account, pay at pickup).

A fee unknown yet (Stripe not reachable) stays NULL and the job `payments-fees` asks again;
the monthly close waits until every payment of the month has its fee.
"""

import logging

from flask import current_app
from sqlalchemy import select, update

from shop.core.money import allocate
from shop.extensions import db
from shop.orders.models import FacilityOrder, Order
from shop.payments.gateway import GatewayUnavailable, get_gateway
from shop.payments.models import Payment

log = logging.getLogger(__name__)

NO_GATEWAY = ("bank_transfer", "pay_at_pickup")
BATCH = 50

# Midtrans' published rates (percent in basis points, fixed rupiah) per payment_type; the
# contract's own numbers go in MIDTRANS_FEES (config) and win.
MIDTRANS_DEFAULT_FEES = {
    "qris": (70, 0),
    "gopay": (200, 0),
    "shopeepay": (200, 0),
    "bank_transfer": (0, 4000),  # virtual accounts (BCA, BNI, BRI, ...)
    "echannel": (0, 4000),  # Mandiri bill payment
    "permata": (0, 4000),
    "cstore": (0, 5000),  # Indomaret / Alfamart
    "credit_card": (290, 2000),
}


def spread(amount: int, parcels: list[FacilityOrder]) -> list[int]:
    """`amount` over the parcels in proportion to their totals (equal parts when all are 0);
    the parts add up to `amount` exactly."""
    weights = [max(int(fo.total or 0), 0) for fo in parcels]
    if sum(weights) == 0:
        weights = [1] * len(parcels)
    # allocate() caps at the sum of the weights: scale them by the amount.
    return allocate(amount, [weight * amount for weight in weights]) if amount > 0 else \
        [0] * len(parcels)


def _parcels(order_id: int) -> list[FacilityOrder]:
    return db.session.scalars(select(FacilityOrder).where(FacilityOrder.order_id == order_id)
                              .order_by(FacilityOrder.id)).all()


def book_unique_code(payment: Payment) -> None:
    """A confirmed transfer: its unique code is spread over the order's parcels."""
    parcels = _parcels(payment.order_id)
    for fo, share in zip(parcels, spread(int(payment.unique_code or 0), parcels), strict=True):
        fo.unique_code_share = share


def contract_fee(channel: str | None, amount: int, rates: dict) -> int:
    """The contracted fee of a Midtrans payment: percent (basis points) of the amount,
    rounded half up to whole rupiah, plus the fixed part; 0 for an unknown channel."""
    basis_points, fixed = rates.get(channel or "", (0, 0))
    return (amount * basis_points + 5000) // 10000 + fixed


def _fee_of(payment: Payment, config) -> tuple[int | None, str]:
    if payment.provider in NO_GATEWAY:
        return 0, "none"
    if payment.provider == "midtrans":
        rates = {**MIDTRANS_DEFAULT_FEES, **(config.get("MIDTRANS_FEES") or {})}
        return contract_fee(payment.channel, int(payment.amount), rates), "contract"
    return get_gateway(payment.provider).fee(payment.intent_id), "gateway"


def book_fee(payment: Payment, config) -> bool:
    """Ask for the fee of a succeeded payment and record it once (a conditional update: two
    processes never book one fee twice); a paid order's parcels carry their shares of it.
    False when another process booked it; GatewayUnavailable when the gateway cannot say."""
    fee, source = _fee_of(payment, config)
    claimed = db.session.execute(
        update(Payment).where(Payment.id == payment.id, Payment.fee.is_(None))
        .values(fee=fee, fee_source=source).execution_options(synchronize_session=False))
    if claimed.rowcount != 1:
        return False
    payment.fee, payment.fee_source = fee, source
    order = db.session.get(Order, payment.order_id)
    if order is not None and order.paid_at is not None:
        parcels = _parcels(payment.order_id)
        for fo, share in zip(parcels, spread(fee, parcels), strict=True):
            fo.gateway_fee = (fo.gateway_fee or 0) + share
    return True


def book_known_fee(payment: Payment) -> None:
    """At settlement: record the fee now when no gateway has to be asked (contract rates,
    no gateway); Stripe's is asked by the job `payments-fees`."""
    if payment.provider != "stripe":
        book_fee(payment, current_app.config)


def unknown_fees(start=None, end=None):
    """Succeeded payments whose fee is not recorded (of orders paid in [start, end))."""
    stmt = (select(Payment).join(Order, Order.id == Payment.order_id)
            .where(Payment.status == "succeeded", Payment.fee.is_(None))
            .order_by(Payment.id))
    if start is not None:
        stmt = stmt.where(Order.paid_at >= start, Order.paid_at < end)
    return stmt


def record_fees(start=None, end=None, limit=BATCH) -> int:
    """Record the fees not known yet (the job `payments-fees`; the close of a month for its
    own payments first). Returns how many were recorded."""
    done = 0
    for payment in db.session.scalars(unknown_fees(start, end).limit(limit)).all():
        try:
            if book_fee(payment, current_app.config):
                done += 1
        except GatewayUnavailable as exc:  # down: ask again next time, not once per payment
            log.warning("gateway fees not known yet (%s): %s", payment.intent_id, exc)
            break
    db.session.commit()
    return done
