"""Paying at the facility's counter (`pay_at_pickup`): the parcels reach the facilities before
any money does; at handover (ready_for_pickup -> picked_up) the staff member records what the
customer paid for THAT parcel (cash, or the facility's own static QRIS), one ParcelPayment row
per parcel. Once no parcel of the order is left waiting, the order is paid for what was
collected and the attempt succeeds with the amount received; every facility collects its own
parcel. The desks reach this through shop.payments.parcels.move."""

from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import select

from shop.core.audit import record
from shop.core.money import format_rupiah
from shop.core.time import utcnow
from shop.extensions import db
from shop.orders import fulfilment
from shop.orders.fulfilment import MoveDetails, MoveRefused, allowed_moves
from shop.orders.models import FacilityOrder, Order
from shop.orders.services import (
    PAY_AT_PICKUP,
    lock_open_order,
    release_unpaid_to_facilities,
    settle_collected,
)
from shop.payments import fees
from shop.payments.models import ParcelPayment, Payment

COUNTER_METHODS = ("cash", "qris")
MAX_REFERENCE = 100


@dataclass
class CounterPayment:
    """What the staff member says the customer paid at the counter."""

    method: str | None = None
    amount: object = None  # int rupiah; anything else is refused
    reference: str | None = None


class PaymentRefused(MoveRefused):
    """The handover was refused because of the payment recorded with it. `extra` goes into the
    API's error object (amount_due, received, difference for a wrong amount)."""

    def __init__(self, message, fo, code, **extra):
        super().__init__(message, allowed_moves(fo), fo.status, code=code)
        self.extra = extra


def start_attempt(order: Order, attempt: int) -> Payment:
    """A pay-at-pickup attempt, and the parcels go to the facilities now, in the transaction
    that writes the attempt (shop.payments.services.start_payment commits both). This is the
    one place every pay-at-pickup order passes: checkout by API or page, and a customer who
    switches to paying at pickup on the order page."""
    payment = Payment(order_id=order.id, provider=PAY_AT_PICKUP, method=PAY_AT_PICKUP,
                      attempt=attempt, intent_id=f"pp-{order.number}-{attempt}",
                      client_secret="", amount=order.total, amount_due=order.total,
                      status="awaiting_pickup", expires_at=order.expires_at)
    db.session.add(payment)
    release_unpaid_to_facilities(order, actor=_("bayar di tempat"))
    return payment


def awaits_counter_payment(fo: FacilityOrder) -> bool:
    """True while this parcel is to be paid at the counter and has not been (a cancelled one
    was never paid either)."""
    order = fo.order
    return (order.payment_method == PAY_AT_PICKUP and order.paid_at is None
            and fo.status != "picked_up")


def payment_state(fo: FacilityOrder) -> str:
    """"pay_at_pickup" (the desks show "Bayar di tempat") until the parcel is paid, then
    "paid". No query: a parcel paid at pickup is a parcel handed over."""
    return PAY_AT_PICKUP if awaits_counter_payment(fo) else "paid"


def counter_payment_of(fo: FacilityOrder) -> ParcelPayment | None:
    return db.session.scalar(select(ParcelPayment)
                             .where(ParcelPayment.facility_order_id == fo.id))


def _checked(fo: FacilityOrder, counter: CounterPayment | None) -> tuple[str, int, str | None]:
    """(method, amount, reference) or PaymentRefused saying what is missing or wrong."""
    due = format_rupiah(fo.total)
    if counter is None or not counter.method:
        raise PaymentRefused(
            _("Catat pembayaran yang diterima sebelum menyerahkan paket: %(due)s, tunai atau "
              "QRIS.", due=due), fo, "payment_required", amount_due=fo.total)
    if counter.method not in COUNTER_METHODS:
        raise PaymentRefused(_("Cara bayar di tempat: tunai atau QRIS."), fo,
                             "payment_method_invalid")
    amount = counter.amount
    if isinstance(amount, bool) or not isinstance(amount, int) or amount <= 0:
        raise PaymentRefused(_("Tulis jumlah yang diterima dalam rupiah, misalnya %(due)s.",
                               due=due), fo, "amount_invalid", amount_due=fo.total)
    if amount != fo.total:
        difference = amount - fo.total
        message = (_("Jumlah %(got)s tidak sama dengan total paket %(due)s: kurang %(diff)s.",
                     got=format_rupiah(amount), due=due, diff=format_rupiah(-difference))
                   if difference < 0 else
                   _("Jumlah %(got)s tidak sama dengan total paket %(due)s: lebih %(diff)s.",
                     got=format_rupiah(amount), due=due, diff=format_rupiah(difference)))
        raise PaymentRefused(message, fo, "amount_mismatch", amount_due=fo.total,
                             received=amount, difference=difference)
    reference = counter.reference.strip() if isinstance(counter.reference, str) else ""
    if len(reference) > MAX_REFERENCE:
        raise PaymentRefused(_("Referensi paling panjang %(n)s karakter.", n=MAX_REFERENCE), fo,
                             "reference_invalid")
    if counter.method == "qris" and not reference:
        raise PaymentRefused(_("Untuk QRIS, tulis nomor referensi transaksi dari aplikasi "
                               "QRIS Lapas/Rutan."), fo, "reference_required")
    return counter.method, amount, reference or None


def hand_over(fo: FacilityOrder, actor, counter: CounterPayment | None,
              details: MoveDetails | None = None) -> FacilityOrder:
    """ready_for_pickup -> picked_up for a parcel paid at the counter, with its payment, in one
    transaction; nothing changes when the payment is missing or wrong. Commits."""
    if "picked_up" not in allowed_moves(fo):
        return fulfilment.move(fo, "picked_up", actor, details)  # refused by the table
    method, amount, reference = _checked(fo, counter)
    order = fo.order
    lock_open_order(order)  # an expiry of this order now waits for us (or we for it)
    payment = _attempt(order) or start_attempt(order, 1)
    db.session.flush()
    fulfilment.move(fo, "picked_up", actor, details, commit=False)  # the parcel's state wins
    db.session.add(ParcelPayment(
        facility_order_id=fo.id, payment_id=payment.id, method=method, amount=amount,
        reference=reference, received_by=_label(actor)))
    record("pickup.payment_received", actor=actor, facility_id=fo.facility_id,
           subject=fo.number, to_value=method, amount=amount, note=reference or "")
    settle_counter(order, payment, actor)
    db.session.commit()
    return fo


def cancel_unpaid(fo: FacilityOrder, actor, details: MoveDetails) -> FacilityOrder:
    """Cancel a parcel that was to be paid at pickup: stock back, nothing to refund; the order
    may then be complete (paid for the others) or cancelled (nothing left). Commits."""
    order = fo.order
    lock_open_order(order)
    fulfilment.move(fo, "cancelled", actor, details, commit=False)
    settle_counter(order, _attempt(order), actor)
    db.session.commit()
    return fo


def settle_counter(order: Order, payment: Payment | None, actor) -> str | None:
    """When no parcel waits any more: the order paid (the attempt succeeded with what was
    received) or cancelled (the attempt too). The caller commits."""
    outcome = settle_collected(order)
    if payment is not None:
        if outcome == "paid":
            mark_collected(payment, actor)
        elif outcome == "cancelled":
            payment.status = "canceled"
    return outcome


def mark_collected(payment: Payment, actor) -> None:
    """The pay-at-pickup attempt succeeded: the sum taken at the counters, by which channels
    (cash, qris or both), with their references."""
    taken = db.session.scalars(select(ParcelPayment).where(ParcelPayment.payment_id == payment.id)
                               .order_by(ParcelPayment.id)).all()
    payment.status = "succeeded"
    payment.received_amount = sum(row.amount for row in taken)
    payment.channel = "+".join(sorted({row.method for row in taken})) or None
    payment.reference = "; ".join(row.reference for row in taken if row.reference)[:100] or None
    payment.confirmed_by = _label(actor)
    payment.confirmed_at = utcnow()
    fees.book_known_fee(payment)


def _attempt(order: Order) -> Payment | None:
    return db.session.scalar(select(Payment).where(Payment.order_id == order.id,
                                                   Payment.method == PAY_AT_PICKUP)
                             .order_by(Payment.attempt.desc()))


def _label(actor) -> str:
    return getattr(actor, "email", None) or str(actor)
