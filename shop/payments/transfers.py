"""The Kanwil's side of bank transfers: confirm one (by hand, from a statement line, by API) or
reject it. A confirmation is one conditional UPDATE of the payment row from the status it was
read in, so two admins (or an admin and a statement import) confirming at once make exactly
one confirmation; the other sees the order as already confirmed."""

import logging
from dataclasses import dataclass

from sqlalchemy import select, update

from shop.core.audit import record
from shop.core.i18n import lazy_gettext as _l
from shop.core.time import utcnow
from shop.extensions import db
from shop.mail.services import queue_email
from shop.orders.models import Order
from shop.orders.services import mark_paid
from shop.payments import fees, methods
from shop.payments.models import Payment
from shop.payments.services import (
    DOUBLE_REASON,
    LATE_REASON,
    Settlement,
    _paid_by_another,
    _refund_whole_order,
)

log = logging.getLogger(__name__)

OPEN = "awaiting_transfer"
# A transfer attempt closed only because its order expired can still be confirmed late: the
# stock is taken again, or the whole payment goes back by a manual refund.
CLOSED_BY_EXPIRY = ("canceled", "expired")


class TransferError(Exception):
    """A confirmation or rejection that cannot be made; `message` is shown to the admin."""

    code = "transfer_refused"

    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


class NoOpenTransfer(TransferError):
    code = "no_open_transfer"


class AmountMismatch(TransferError):
    """The amount received is not the amount due (total + unique code)."""

    code = "amount_mismatch"

    def __init__(self, expected: int, received: int):
        self.expected, self.received = expected, received
        self.difference = received - expected
        super().__init__(_l("Jumlah tidak sama dengan yang harus dibayar."))


@dataclass
class Confirmation:
    order: Order
    payment: Payment
    outcome: Settlement  # PAID, ALREADY_PAID (a repeat: nothing changed), NEEDS_REFUND


def transfer_attempts(order: Order) -> list[Payment]:
    return list(db.session.scalars(
        select(Payment).where(Payment.order_id == order.id, Payment.method == "bank_transfer")
        .order_by(Payment.attempt.desc())))


def confirmable(order: Order, payment: Payment | None) -> bool:
    """An open transfer attempt, or the last attempt of an order that expired unpaid."""
    if payment is None or payment.method != "bank_transfer":
        return False
    if payment.status == OPEN:
        return True
    return payment.status in CLOSED_BY_EXPIRY and order.status == "expired"


def transfer_to_confirm(order: Order) -> Payment | None:
    """The attempt a confirmation of this order applies to, or None."""
    attempts = transfer_attempts(order)
    for payment in attempts:
        if payment.status == OPEN:
            return payment
    latest = attempts[0] if attempts else None
    return latest if confirmable(order, latest) else None


def confirmed_transfer(order: Order) -> Payment | None:
    for payment in transfer_attempts(order):
        if payment.status == "succeeded":
            return payment
    return None


def _actor_label(actor) -> str:
    return getattr(actor, "email", None) or str(actor or "sistem")


def _claim(payment: Payment, seen_status: str, **values) -> bool:
    """Move the payment from the status it was read in; False when someone else moved it."""
    result = db.session.execute(
        update(Payment).where(Payment.id == payment.id, Payment.status == seen_status)
        .values(updated_at=utcnow(), **values)
        .execution_options(synchronize_session=False))
    return result.rowcount == 1


def confirm_transfer(order: Order, amount: int, reference: str, actor, source: str = "manual",
                     *, payment: Payment | None = None, commit: bool = True) -> Confirmation:
    """The Kanwil saw `amount` arrive with bank `reference`: the order becomes paid (its parcels
    go to the facilities, the customer is mailed), the transfer code is released, an audit row
    is written. A repeat of a confirmed transfer changes nothing (outcome ALREADY_PAID).
    Raises AmountMismatch (nothing changes) or NoOpenTransfer."""
    payment = payment or transfer_to_confirm(order)
    if payment is None:
        done = confirmed_transfer(order)
        if done is not None:
            return Confirmation(order, done, Settlement.ALREADY_PAID)
        raise NoOpenTransfer(_l("Pesanan ini tidak menunggu transfer bank."))
    if amount != payment.due:
        raise AmountMismatch(payment.due, amount)
    label = _actor_label(actor)
    reference = (reference or "").strip()[:100]
    if not _claim(payment, payment.status, status="succeeded", reference=reference,
                  received_amount=amount, confirmed_by=label[:254], confirmed_at=utcnow()):
        db.session.rollback()  # someone confirmed (or rejected) it a moment ago
        db.session.refresh(payment)
        if payment.status == "succeeded":
            return Confirmation(order, payment, Settlement.ALREADY_PAID)
        raise NoOpenTransfer(_l("Transfer ini baru saja diubah orang lain; muat ulang halaman."))
    db.session.refresh(payment)
    outcome = Settlement(mark_paid(order, actor=label))
    if outcome == Settlement.PAID:
        fees.book_unique_code(payment)
    fees.book_known_fee(payment)
    if outcome == Settlement.NEEDS_REFUND:
        _refund_whole_order(payment, order, LATE_REASON)
    elif outcome == Settlement.ALREADY_PAID and _paid_by_another(payment):
        _refund_whole_order(payment, order, DOUBLE_REASON)
        outcome = Settlement.NEEDS_REFUND
    methods.method_of(payment).release(payment)
    record("payment.transfer_confirmed", actor=actor, subject=order.number, amount=amount,
           to_value=str(outcome), note=f"{source}; ref: {reference}"[:1000])
    if commit:
        db.session.commit()
    return Confirmation(order, payment, outcome)


def reject_transfer(order: Order, reason: str, actor) -> Payment:
    """The transfer will not be confirmed (no money arrived, a wrong amount that the customer
    must settle another way...): the attempt is closed with the reason, its code released, and
    the customer is told how to pay again while the order is open. Commits."""
    reason = (reason or "").strip()
    if len(reason) < 5:
        raise TransferError(_l("Tulis alasan penolakan (minimal 5 karakter)."))
    payment = transfer_to_confirm(order)
    if payment is None or payment.status != OPEN:
        raise NoOpenTransfer(_l("Pesanan ini tidak menunggu transfer bank."))
    if not _claim(payment, OPEN, status="rejected", rejected_reason=reason[:1000]):
        db.session.rollback()
        raise NoOpenTransfer(_l("Transfer ini baru saja diubah orang lain; muat ulang halaman."))
    db.session.refresh(payment)
    methods.method_of(payment).release(payment)
    record("payment.transfer_rejected", actor=actor, subject=order.number,
           amount=payment.due, note=reason[:1000])
    queue_email(order.email, _l("Transfer untuk pesanan %(n)s belum dapat dikonfirmasi",
                                n=order.number),
                "transfer_rejected", order=order, payment=payment, reason=reason)
    db.session.commit()
    return payment
