"""Payments: start one for an order, settle it from a webhook or a server-side retrieve
(whichever comes first; the other is a no-op), refund what cannot be delivered."""

import logging
from datetime import datetime, timedelta
from enum import StrEnum
from functools import cache

from flask import current_app
from sqlalchemy import bindparam, select
from sqlalchemy.exc import IntegrityError

from shop.core.i18n import lazy_gettext as _l
from shop.core.time import utcnow
from shop.extensions import db
from shop.mail.services import queue_email
from shop.orders.models import Order
from shop.orders.services import due_orders, expire_if_due, expire_order, mark_paid
from shop.payments import fees, methods
from shop.payments.gateway import (
    GatewayUnavailable,
    Intent,
    PaymentError,
    RefundNotSupported,
    get_gateway,
)
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
# Methods whose state a gateway knows (the return page asks it).
ONLINE_METHODS = ("card", "midtrans")


def current_payment(order: Order) -> Payment | None:
    return db.session.scalar(
        select(Payment).where(Payment.order_id == order.id).order_by(Payment.attempt.desc())
    )


def start_payment(order: Order, method_code: str | None = None, *,
                  just_placed: bool = False) -> Payment:
    """The order's open payment, or a new attempt by the order's method (or `method_code`,
    when the customer chooses another way to pay). The previous open attempt is closed at
    its gateway first, so an old tab cannot pay it as well. Commits. Raises
    GatewayUnavailable; the order then stays pending and can be paid later.
    `just_placed`: the order was placed in this request, so it has no attempt to look up."""
    payment = None if just_placed else current_payment(order)
    if method_code and method_code != order.payment_method:
        if order.payment_method == "pay_at_pickup" and payment is not None:
            # the parcels are at the facilities already, waiting for the customer's money
            raise methods.UnknownMethod(_l("Pesanan ini dibayar di tempat saat mengambil; "
                                           "cara bayarnya tidak bisa diganti."))
        chosen = methods.choose(method_code, [fo.delivery for fo in order.facility_orders])
        order.payment_method = chosen.code
        order.expires_at = switched_deadline(order, chosen)
    method = methods.method_of(order)
    if (payment and payment.status in OPEN_STATES and payment.amount == order.total
            and payment.method == method.code):
        return payment
    attempt = payment.attempt + 1 if payment else 1
    if payment and payment.status not in CLOSED_STATES:
        try:
            methods.method_of(payment).close(payment)
        except PaymentError:  # unreachable, or paid meanwhile (its notification settles it)
            log.warning("could not close the previous attempt %s", payment.intent_id)
    # The closed attempt and the chosen method are kept even when the new attempt cannot
    # start: the pay page then says "try again or choose another way to pay".
    db.session.commit()
    try:
        payment = method.start(order, attempt)
        db.session.add(payment)
        db.session.commit()
    except GatewayUnavailable:
        db.session.rollback()
        raise
    return payment


def switched_deadline(order: Order, method) -> datetime:
    """The payment window after a switch of method: the new method's window counted from
    when the order was placed (switching never holds stock longer than the longest method
    allows), but never less than the short online window from now, so there is time to pay."""
    window = timedelta(minutes=current_app.config["PAYMENT_WINDOW_MINUTES"])
    return max(order.created_at + method.hold(), utcnow() + window)


@cache
def _payment_of_intent():
    """Built once: every webhook and return page asks it."""
    return select(Payment).where(Payment.intent_id == bindparam("intent_id"))


def settle(intent: Intent, source: str) -> Settlement:
    """Apply a gateway's view of an intent to its order. Safe to call any number of times.
    The caller commits."""
    payment = db.session.scalar(_payment_of_intent(), {"intent_id": intent.id})
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
    if intent.payment_type:
        payment.channel = intent.payment_type[:40]
    outcome = Settlement(mark_paid(order, actor=source))
    fees.book_known_fee(payment)
    if outcome == Settlement.NEEDS_REFUND:
        _refund_whole_order(payment, order, LATE_REASON)
    elif outcome == Settlement.ALREADY_PAID and _paid_by_another(payment):
        # an old attempt (another tab) paid an order that is already paid: give it back
        _refund_whole_order(payment, order, DOUBLE_REASON)
        outcome = Settlement.NEEDS_REFUND
    return outcome


LATE_REASON = _l("Pembayaran diterima setelah batas waktu dan stok sudah habis")
DOUBLE_REASON = _l("Pesanan sudah dibayar dengan pembayaran lain")


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
    reason = str(reason)
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
    reason = str(reason)  # a lazy translation is stored as text, in the shop's language
    amount = payment.received_amount or payment.amount  # a transfer's unique code too
    refund = queue_refund(order, amount, reason, key=f"refund-{payment.intent_id}-all",
                          payment=payment)
    if refund is None or refund.manual:  # a manual refund mails the customer its own link
        return
    queue_email(order.email, _l("Dana pesanan %(n)s dikembalikan", n=order.number),
                "order_refunded",
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


def _record_once(provider: str, event) -> PaymentEvent | None:
    """The gateway event's row, or None when it was processed before (its id is unique)."""
    record = PaymentEvent(provider=provider, event_id=event.id[:100], event_type=event.type,
                          intent_id=event.intent.id if event.intent else None)
    try:
        db.session.add(record)
        db.session.flush()
    except IntegrityError:
        db.session.rollback()
        return None
    return record


def handle_webhook(payload: bytes, signature: str | None) -> Settlement:
    """Verify, record once, apply. Raises InvalidWebhook on a bad signature."""
    gateway = get_gateway()
    event = gateway.parse_webhook(payload, signature)
    record = _record_once(gateway.name, event)
    if record is None:
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


def handle_midtrans_notification(body: bytes) -> Settlement:
    """A Midtrans HTTP notification: verified and re-read by the gateway, recorded once per
    (transaction_id, transaction_status), then applied: settlement -> paid (amount and
    currency checked, the channel kept), pending -> nothing, expire/cancel/deny -> the attempt
    failed (the customer may choose another way to pay). Raises InvalidWebhook (bad
    signature: nothing changes) and GatewayUnavailable (the status could not be re-read:
    answer non-2xx so Midtrans sends it again)."""
    event = get_gateway("midtrans").parse_notification(body)
    record = _record_once("midtrans", event)
    if record is None:
        return Settlement.DUPLICATE
    if event.type in ("payment_succeeded", "payment_failed") and event.intent:
        outcome = settle(event.intent, "midtrans")
    else:
        outcome = Settlement.IGNORED  # still waiting for the customer, or a refund's echo
    record.outcome = outcome
    try:
        db.session.commit()
    except IntegrityError:  # the same notification, delivered twice at the same moment
        db.session.rollback()
        return Settlement.DUPLICATE
    if outcome == Settlement.NEEDS_REFUND:
        try:
            complete_pending_refunds()
        except PaymentError:  # not refundable by API (a VA): stays pending for a person
            db.session.rollback()
            log.exception("refund after Midtrans notification %s not made", event.id)
    return outcome


def sync_from_gateway(order: Order) -> Settlement:
    """The return page: ask the gateway now rather than wait for the webhook."""
    payment = current_payment(order)
    if payment is None or payment.method not in ONLINE_METHODS:
        return Settlement.NO_PAYMENT  # a transfer or payment at pickup is confirmed by people
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
    """After expiry: close the open attempt by its method (a PaymentIntent or Snap transaction
    cancelled at the gateway, best effort; a transfer's code freed; a pickup attempt closed)."""
    payment = current_payment(order)
    if payment is None or payment.status in CLOSED_STATES:
        return
    try:
        methods.method_of(payment).close(payment)
        db.session.commit()
    except PaymentError:
        db.session.rollback()
        log.warning("could not cancel intent %s", payment.intent_id)


def reconcile(order: Order) -> Settlement | None:
    """Ask the gateway about the order's open online attempt (a webhook may have been lost):
    settle it when the money came in. None when there is nothing to ask or it is not paid."""
    payment = current_payment(order)
    if payment is None or payment.method not in ONLINE_METHODS or \
            payment.status in CLOSED_STATES:
        return None
    try:
        intent = get_gateway(payment.provider).retrieve(payment.intent_id)
    except GatewayUnavailable:
        log.warning("could not ask about %s before expiry", payment.intent_id)
        return Settlement.GATEWAY_UNAVAILABLE
    if intent.status != "succeeded":
        return None
    outcome = settle(intent, "rekonsiliasi")
    db.session.commit()
    if outcome == Settlement.NEEDS_REFUND:
        complete_pending_refunds()
    return outcome


# After these the order must not be expired: it is paid. (A gateway that cannot answer does
# not hold the stock forever: the order expires, and money that shows up later takes the
# stock again or is refunded, see settle.)
KEEP_OPEN = (Settlement.PAID, Settlement.ALREADY_PAID)


def expire_due_orders(now=None) -> list[Order]:
    """`orders expire`: every unpaid order past its window, each in its own transaction. An
    order with an online attempt is asked about first: money taken while the webhook was lost
    pays the order instead of expiring it."""
    expired = []
    for order_id in due_orders(now):
        order = db.session.get(Order, order_id)
        if reconcile(order) in KEEP_OPEN:
            continue
        try:
            if expire_order(order):
                expired.append(order)
            db.session.commit()
        except Exception:
            db.session.rollback()
            log.exception("could not expire order %s", order_id)
            continue
        cancel_intent_of(order)
    return expired


def reconcile_open_attempts() -> dict:
    """`payments reconcile`: compare every open online attempt with its gateway."""
    counts = {}
    open_orders = db.session.scalars(
        select(Order).where(Order.status == "pending_payment",
                            Order.payment_method.in_(ONLINE_METHODS))).all()
    for order in open_orders:
        outcome = reconcile(order)
        key = str(outcome) if outcome else "open"
        counts[key] = counts.get(key, 0) + 1
    return counts


def expire_and_cancel(order: Order) -> bool:
    """An unpaid order looked at after its window: asked about first, then expired."""
    if order.status != "pending_payment" or order.expires_at > utcnow():
        return False
    if reconcile(order) in KEEP_OPEN:
        return False
    expired = expire_if_due(order)
    if expired:
        cancel_intent_of(order)
    return expired
