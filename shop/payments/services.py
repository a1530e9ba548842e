"""Payments: start one for an order, settle it from a webhook or a server-side retrieve
(whichever comes first; the other is a no-op), refund what cannot be delivered."""

import logging
from enum import StrEnum

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from shop.extensions import db
from shop.mail.services import queue_email
from shop.orders.models import Order
from shop.orders.services import expire_if_due, mark_paid
from shop.payments import methods
from shop.payments.gateway import GatewayUnavailable, Intent, RefundNotSupported, get_gateway
from shop.payments.manual_refunds import make_manual
from shop.payments.models import Payment, PaymentEvent, Refund

log = logging.getLogger(__name__)


class Settlement(StrEnum):
    """What applying a gateway's view of a payment did (stored on PaymentEvent.outcome)."""

    PAID = "paid"
    ALREADY_PAID = "already_paid"
    NEEDS_REFUND = "needs_refund"  # money in, no goods: refunded automatically
    NOT_SUCCEEDED = "not_succeeded"  # declined, waiting or cancelled: the order stays open
    IGNORED_LATE = "ignored_late"  # a stale failure after the money came in
    AMOUNT_MISMATCH = "amount_mismatch"
    UNKNOWN_INTENT = "unknown_intent"
    IGNORED = "ignored"  # an event type the shop does not act on
    DUPLICATE = "duplicate"  # an event already processed
    NO_PAYMENT = "no_payment"
    GATEWAY_UNAVAILABLE = "gateway_unavailable"

# A failed attempt is not reused: the next pay page starts a new attempt (a new intent).
OPEN_STATES = ("created", "requires_payment_method", "requires_confirmation", "requires_action",
               "processing", "pending", "awaiting_transfer", "awaiting_pickup")
CLOSED_STATES = ("succeeded", "canceled", "amount_mismatch", "rejected")


def current_payment(order: Order) -> Payment | None:
    return db.session.scalar(
        select(Payment).where(Payment.order_id == order.id).order_by(Payment.attempt.desc())
    )


def start_payment(order: Order, method_code: str | None = None) -> Payment:
    """The order's open payment, or a new attempt by the order's method (or `method_code`,
    when the customer chooses another way to pay). The previous open attempt is closed at
    its gateway first, so an old tab cannot pay it as well. Commits. Raises
    GatewayUnavailable; the order then stays pending and can be paid later."""
    payment = current_payment(order)
    if method_code and method_code != order.payment_method:
        order.payment_method = methods.choose(
            method_code, [fo.delivery for fo in order.facility_orders]).code
    method = methods.method_of(order)
    if (payment and payment.status in OPEN_STATES and payment.amount == order.total
            and payment.method == method.code):
        return payment
    attempt = payment.attempt + 1 if payment else 1
    if payment and payment.status not in CLOSED_STATES:
        try:
            methods.method_of(payment).close(payment)
        except GatewayUnavailable:
            log.warning("could not close the previous attempt %s", payment.intent_id)
    try:
        payment = method.start(order, attempt)
        db.session.add(payment)
        db.session.commit()
    except GatewayUnavailable:
        db.session.rollback()
        raise
    return payment


def settle(intent: Intent, source: str) -> Settlement:
    """Apply a gateway's view of an intent to its order. Safe to call any number of times.
    The caller commits."""
    payment = db.session.scalar(select(Payment).where(Payment.intent_id == intent.id))
    if payment is None:
        log.warning("payment for unknown intent %s (%s)", intent.id, source)
        return Settlement.UNKNOWN_INTENT
    order = db.session.get(Order, payment.order_id)
    if intent.status != "succeeded":
        if payment.status == "succeeded":
            log.info("stale %s for paid intent %s", intent.status, intent.id)
            return Settlement.IGNORED_LATE  # the money is in; a stale event
        payment.status = "failed" if intent.last_error else intent.status
        payment.last_error = intent.last_error
        return Settlement.NOT_SUCCEEDED
    if intent.amount != order.total or intent.currency != "idr" or payment.amount != order.total:
        log.error("intent %s pays %s %s, order %s totals %s IDR: not marked paid",
                  intent.id, intent.amount, intent.currency, order.number, order.total)
        payment.status = "amount_mismatch"
        return Settlement.AMOUNT_MISMATCH
    payment.status = "succeeded"
    outcome = Settlement(mark_paid(order, actor=source))
    if outcome == Settlement.NEEDS_REFUND:
        _refund_whole_order(payment, order, LATE_REASON)
    elif outcome == Settlement.ALREADY_PAID and _paid_by_another(payment):
        # an old attempt (another tab) paid an order that is already paid: give it back
        _refund_whole_order(payment, order, DOUBLE_REASON)
        outcome = Settlement.NEEDS_REFUND
    return outcome


LATE_REASON = "Pembayaran diterima setelah batas waktu dan stok sudah habis"
DOUBLE_REASON = "Pesanan sudah dibayar dengan pembayaran lain"


def _paid_by_another(payment: Payment) -> bool:
    return db.session.scalar(
        select(Payment.id).where(Payment.order_id == payment.order_id, Payment.id != payment.id,
                                 Payment.status == "succeeded").limit(1)
    ) is not None


def queue_refund(order: Order, amount: int, reason: str, *, key: str,
                 facility_order=None, payment: Payment | None = None) -> Refund | None:
    """Queue a refund of `amount` from the order's succeeded payment, once per `key` (the
    gateway's idempotency key). None when there is nothing to refund or it is already queued.
    The caller commits; `complete_pending_refunds` asks the gateway."""
    payment = payment or current_payment(order)
    if payment is None or payment.status != "succeeded" or amount <= 0:
        return None
    refund = Refund(payment_id=payment.id, amount=amount, status="pending", reason=reason,
                    idempotency_key=key,
                    facility_order_id=facility_order.id if facility_order else None)
    try:
        with db.session.begin_nested():
            db.session.add(refund)
    except IntegrityError:
        return None  # already being refunded
    if not refundable_by_api(payment):  # manual refunds: a task for the Kanwil
        make_manual(refund)
    return refund


# Midtrans refunds these ways to pay through its API; the rest (virtual accounts, Mandiri
# Bill, retail counters) go back by a bank transfer made by hand.
MIDTRANS_API_REFUNDABLE = {"qris", "gopay", "shopeepay", "credit_card", "dana", "ovo",
                           "kredivo", "akulaku"}


def refundable_by_api(payment: Payment) -> bool:
    """Whether a gateway can give this payment back (else the refund is a manual task)."""
    if not methods.method_of(payment).refundable_by_api:
        return False
    return not (payment.method == "midtrans" and payment.channel
                and payment.channel not in MIDTRANS_API_REFUNDABLE)


def _refund_whole_order(payment: Payment, order: Order, reason: str):
    """Give a whole payment back (late after expiry, or a second payment of one order)."""
    amount = payment.received_amount or payment.amount  # a transfer's unique code too
    refund = queue_refund(order, amount, reason, key=f"refund-{payment.intent_id}-all",
                          payment=payment)
    if refund is None or refund.manual:  # a manual refund mails the customer its own link
        return
    queue_email(order.email, f"Dana pesanan {order.number} dikembalikan", "order_refunded",
                order=order, amount=payment.amount, reason=reason)


def complete_pending_refunds() -> int:
    """Ask the gateway for every pending refund (idempotent keys make retries safe)."""
    done = 0
    for refund in db.session.scalars(select(Refund).where(
            Refund.status == "pending", Refund.manual.is_(False))).all():
        try:
            refund.provider_refund_id = get_gateway(refund.payment.provider).refund(
                refund.payment.intent_id, refund.amount, refund.idempotency_key)
        except GatewayUnavailable:
            log.exception("refund %s failed, will retry", refund.id)
            db.session.rollback()
            continue
        except RefundNotSupported:  # e.g. a Midtrans virtual account: back by hand
            log.info("refund %s cannot be made by the gateway: manual", refund.id)
            make_manual(refund)
            db.session.commit()
            continue
        refund.status = "succeeded"
        db.session.commit()
        done += 1
    return done


def handle_webhook(payload: bytes, signature: str | None) -> Settlement:
    """Verify, record once, apply. Raises InvalidWebhook on a bad signature."""
    gateway = get_gateway()
    event = gateway.parse_webhook(payload, signature)
    record = PaymentEvent(provider=gateway.name, event_id=event.id, event_type=event.type,
                          intent_id=event.intent.id if event.intent else None)
    try:
        db.session.add(record)
        db.session.flush()
    except IntegrityError:
        db.session.rollback()
        return Settlement.DUPLICATE
    outcome = settle(event.intent, "webhook") if event.intent else Settlement.IGNORED
    record.outcome = outcome
    try:
        db.session.commit()
    except IntegrityError:  # the same event, delivered twice at the same moment
        db.session.rollback()
        return Settlement.DUPLICATE
    if outcome == Settlement.NEEDS_REFUND:
        complete_pending_refunds()
    return outcome


def sync_from_gateway(order: Order) -> Settlement:
    """The return page: ask the gateway now rather than wait for the webhook."""
    payment = current_payment(order)
    if payment is None:
        return Settlement.NO_PAYMENT
    try:
        intent = get_gateway(payment.provider).retrieve(payment.intent_id)
    except GatewayUnavailable:
        return Settlement.GATEWAY_UNAVAILABLE
    outcome = settle(intent, "halaman kembali")
    db.session.commit()
    if outcome == Settlement.NEEDS_REFUND:
        complete_pending_refunds()
    return outcome


def cancel_intent_of(order: Order) -> None:
    """After expiry: cancel the open PaymentIntent (best effort)."""
    payment = current_payment(order)
    if payment is None or payment.status == "succeeded":
        return
    try:
        get_gateway(payment.provider).cancel(payment.intent_id)
        payment.status = "canceled"
        db.session.commit()
    except GatewayUnavailable:
        log.warning("could not cancel intent %s", payment.intent_id)


def expire_and_cancel(order: Order) -> bool:
    expired = expire_if_due(order)
    if expired:
        cancel_intent_of(order)
    return expired
