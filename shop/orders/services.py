"""Order state: paying, expiring, and the customer order's status derived from its parcels."""

import logging
from enum import StrEnum
from functools import cache

from sqlalchemy import bindparam, select, update
from sqlalchemy.orm import joinedload

from shop.catalog import stock
from shop.core.i18n import N_
from shop.core.i18n import lazy_gettext as _l
from shop.core.time import utcnow
from shop.extensions import db
from shop.mail.services import queue_email, queue_email_later
from shop.orders.models import FacilityOrder, FacilityOrderEvent, Order
from shop.orders.promotion_figures import first_order_taken
from shop.orders.signals import order_closed
from shop.promotions.services import release_redemptions, retake_redemptions

log = logging.getLogger(__name__)

PAY_AT_PICKUP = "pay_at_pickup"  # the method whose parcels go out before the money comes in
DONE = {"delivered", "picked_up"}
# The facilities' staff read the shop in Indonesian: their mails are written in it.
STAFF_LOCALE = "id"
SHIPPED_OR_DONE = {"shipped", "delivered", "picked_up"}


def derive_status(current: str, parcel_statuses: list[str]) -> str:
    """The customer order's status from its facility orders' statuses."""
    if current in ("pending_payment", "expired"):
        return current
    live = [s for s in parcel_statuses if s != "cancelled"]
    if not live:
        return "cancelled"
    if all(s in DONE for s in live):
        return "completed"
    if all(s in SHIPPED_OR_DONE or s == "ready_for_pickup" for s in live) and any(
        s in SHIPPED_OR_DONE for s in live
    ):
        return "shipped"
    if any(s in SHIPPED_OR_DONE for s in live):
        return "partially_shipped"
    return "paid"


def refresh_status(order: Order) -> None:
    order.status = derive_status(order.status, [fo.status for fo in order.facility_orders])


def _log_event(fo, to_status, actor, note=""):
    db.session.add(FacilityOrderEvent(facility_order_id=fo.id, from_status=fo.status,
                                      to_status=to_status, actor=actor, note=note))


@cache
def _claim_statement(names: tuple[str, ...]):
    """_claim's UPDATE setting the columns `names` besides the status, built once per set."""
    return (
        update(Order)
        .where(Order.id == bindparam("claim_id"), Order.status == bindparam("claim_from"))
        .values(status=bindparam("claim_to"), updated_at=bindparam("claim_updated_at"),
                **{name: bindparam(f"claim_{name}") for name in names})
        .execution_options(synchronize_session=False)
    )


def _claim(order_id, from_status, to_status, **values) -> bool:
    """Move the order only if it is still in `from_status` (the row is the lock)."""
    params = {f"claim_{name}": value for name, value in values.items()}
    params.update(claim_id=order_id, claim_from=from_status, claim_to=to_status,
                  claim_updated_at=utcnow())
    result = db.session.execute(_claim_statement(tuple(sorted(values))), params)
    return result.rowcount == 1


def _fix_split(order: Order) -> None:
    """The premi / PNBP / capital split in force when the order is paid stays with its parcels
    (shop.payments.accounting): a later change of a facility's split rewrites no past sale."""
    for fo in order.facility_orders:
        fo.premi_percent = fo.facility.premi_percent
        fo.pnbp_percent = fo.facility.pnbp_percent
        fo.capital_percent = fo.facility.capital_percent


def _release_to_facilities(order: Order, actor: str):
    for fo in order.facility_orders:
        _log_event(fo, "new", actor, N_("Pembayaran diterima"))
        fo.status = "new"
    _fix_split(order)
    notify_paid(order)


def release_unpaid_to_facilities(order: Order, actor: str = "sistem") -> list[FacilityOrder]:
    """Pay at pickup: the parcels go to the facilities before any money comes in (their staff
    take it at handover), while the order stays pending_payment until every parcel is paid.
    The facilities get their new-parcel mail, the customer where and until when to pick up
    and pay. Parcels already released are left as they are. The caller commits."""
    released = [fo for fo in order.facility_orders if fo.status == "awaiting_payment"]
    for fo in released:
        _log_event(fo, "new", actor, N_("Bayar di tempat saat diambil"))
        fo.status = "new"
    if released:
        queue_email_later(order.email, _l("Pesanan %(n)s: bayar saat mengambil", n=order.number),
                          "pickup_order_placed", locale=order.language, order=order.id)
        _notify_facilities(order, released, unpaid=True)
    return released


def notify_paid(order: Order):
    """The buyer's and each facility's mail (rendered when sent: shop.orders.mail_context)."""
    queue_email_later(order.email, _l("Pesanan %(n)s sudah dibayar", n=order.number),
                      "order_paid", locale=order.language, order=order.id)
    _notify_facilities(order, order.facility_orders)


def _notify_facilities(order: Order, parcels, unpaid=False):
    for fo in parcels:
        if fo.facility.email:
            queue_email_later(fo.facility.email, _l("Pesanan baru %(n)s", n=fo.number),
                              "facility_new_order", locale=STAFF_LOCALE, order=order.id,
                              parcel=fo.id, unpaid=unpaid)


class PaidOutcome(StrEnum):
    PAID = "paid"
    ALREADY_PAID = "already_paid"
    NEEDS_REFUND = "needs_refund"  # paid after expiry and the stock is gone


def mark_paid(order: Order, actor="pembayaran") -> PaidOutcome:
    """pending_payment -> paid, or expired -> paid when the stock (and the promotions) can be
    taken again. An order that got a "first order only" discount while the customer paid
    another order meanwhile cannot be paid at that price: NEEDS_REFUND."""
    now = utcnow()
    if first_order_taken(order):
        return PaidOutcome.NEEDS_REFUND
    if _claim(order.id, "pending_payment", "paid", paid_at=now):
        _reload_for_release(order)
        _release_to_facilities(order, actor)
        return PaidOutcome.PAID
    db.session.refresh(order)
    if order.status == "cancelled" and order.paid_at is None:
        return PaidOutcome.NEEDS_REFUND  # the buyer cancelled it before the money came
    if order.status != "expired":
        return PaidOutcome.ALREADY_PAID
    savepoint = db.session.begin_nested()
    if (not _claim(order.id, "expired", "paid", paid_at=now) or not _retake_stock(order)
            or not retake_redemptions(order.id)):
        savepoint.rollback()
        return PaidOutcome.NEEDS_REFUND
    savepoint.commit()
    _reload_for_release(order)
    _release_to_facilities(order, actor)
    return PaidOutcome.PAID


@cache
def _release_statement():
    """The order with what its release reads, built once (every payment runs it)."""
    return (
        select(Order).where(Order.id == bindparam("order_id"))
        .options(joinedload(Order.facility_orders).joinedload(FacilityOrder.facility))
        .execution_options(populate_existing=True)
    )


def _reload_for_release(order: Order) -> None:
    """Refresh the order just claimed, with what its release reads: the parcels and their
    facilities (the split, the mails' addresses), in one query however many parcels it has
    (a refresh and lazy loads took 2 + 2 per parcel). The mails are rendered when sent."""
    db.session.scalars(_release_statement(), {"order_id": order.id}).unique().one()


def _quantities(order: Order):
    return [(line.product_id, line.quantity) for fo in order.facility_orders for line in fo.lines]


def _retake_stock(order: Order) -> bool:
    return stock.take_again(_quantities(order))


def _restore_stock(order: Order):
    stock.give_back(_quantities(order))


def expire_order(order: Order) -> bool:
    """pending_payment -> expired: the stock and the promotion uses go back, the parcels are
    cancelled. An order paid at pickup closes its own way (_close_pickup_order). Returns False
    when the order was paid (or expired) in the meantime. Sends `order_closed`; the caller
    commits."""
    if order.payment_method == PAY_AT_PICKUP:
        return _close_pickup_order(order) is not None
    if not _claim(order.id, "pending_payment", "expired"):
        return False
    db.session.refresh(order)
    _restore_stock(order)
    release_redemptions(order.id)
    for fo in order.facility_orders:
        _log_event(fo, "cancelled", N_("sistem"), N_("Batas waktu pembayaran habis"))
        fo.status = "cancelled"
    order_closed.send(order, outcome="expired")
    return True


BUYER_CANCEL_NOTE = N_("Dibatalkan oleh pembeli")


def cancel_unpaid_order(order: Order, actor: str = N_("pembeli")) -> bool:
    """The buyer cancels an order not paid yet: pending_payment -> cancelled, every parcel
    not handed over cancelled with its stock back at once, the promotion uses released.
    Refused (False) when the order is no longer waiting for payment or a parcel paid at
    pickup was already collected. Sends `order_closed` (outcome "cancelled": the payment
    frees what it held); the caller commits and then closes the attempt at its gateway."""
    if any(fo.status == "picked_up" for fo in order.facility_orders):
        return False
    if not _claim(order.id, "pending_payment", "cancelled"):
        return False
    db.session.refresh(order)
    for fo in order.facility_orders:
        _cancel_unpaid(fo, note=BUYER_CANCEL_NOTE, actor=actor)
    release_redemptions(order.id)
    order_closed.send(order, outcome="cancelled")
    return True


PICKUP_EXPIRED_NOTE = N_("Tidak diambil dan dibayar sebelum batas waktu")


def _close_pickup_order(order: Order) -> str | None:
    """Pay at pickup past its window: every parcel not handed over is cancelled and its stock
    goes back; the order is paid for the parcels collected (nothing to refund: the rest was
    never paid), or expired when none was; the customer is told. The order's row is claimed
    first, as a handover locks it first too (shop.payments.pickup), so the two wait for each
    other. Returns "paid", "expired", or None when the order was no longer open."""
    if not _claim(order.id, "pending_payment", "expired"):
        return None
    db.session.refresh(order)
    cancelled = [fo for fo in order.facility_orders
                 if fo.status not in ("picked_up", "cancelled") and _cancel_unpaid(fo)]
    outcome = "expired"
    if any(fo.status == "picked_up" for fo in order.facility_orders):
        _claim(order.id, "expired", "paid", paid_at=utcnow())
        db.session.refresh(order)
        _fix_split(order)
        refresh_status(order)
        outcome = "paid"
    else:
        release_redemptions(order.id)  # nothing collected: the promotion uses go back
    if cancelled:
        queue_email(order.email, _l("Pesanan %(n)s: batas waktu pengambilan habis",
                                    n=order.number),
                    "pickup_expired", order=order, cancelled=cancelled)
    order_closed.send(order, outcome=outcome)
    return outcome


def _cancel_unpaid(fo: FacilityOrder, tries: int = 3, note: str = PICKUP_EXPIRED_NOTE,
                   actor: str = "sistem") -> bool:
    """Cancel a parcel that was never paid and give its stock back, even while its staff
    moves it (a move between our read and our write: read again)."""
    for _attempt in range(tries):
        seen = fo.status
        if seen in ("picked_up", "cancelled"):
            return False
        result = db.session.execute(
            update(FacilityOrder).where(FacilityOrder.id == fo.id, FacilityOrder.status == seen)
            .values(status="cancelled", updated_at=utcnow())
            .execution_options(synchronize_session=False))
        if result.rowcount == 1:
            db.session.add(FacilityOrderEvent(facility_order_id=fo.id, from_status=seen,
                                              to_status="cancelled", actor=actor,
                                              note=note))
            stock.give_back([(line.product_id, line.quantity) for line in fo.lines])
            db.session.refresh(fo)
            return True
        db.session.refresh(fo)
    return False


def lock_open_order(order: Order) -> bool:
    """Take the order's row lock (SELECT ... FOR UPDATE on PostgreSQL; SQLite writes one at a
    time anyway) before recording money against its parcels, so a handover and the expiry of
    the same order wait for each other. False when the order is no longer pending_payment."""
    status = db.session.scalar(select(Order.status).where(Order.id == order.id)
                               .with_for_update())
    return status == "pending_payment"


def settle_collected(order: Order) -> str | None:
    """Pay at pickup: once no parcel is left to hand over, the order is paid for what was
    collected ("paid"; the parcels keep their statuses, the order's own is derived from them)
    or, when every parcel was cancelled, cancelled ("cancelled"). None while a parcel still
    waits to be paid. The caller commits."""
    live = [fo.status for fo in order.facility_orders if fo.status != "cancelled"]
    if order.status != "pending_payment" or any(status != "picked_up" for status in live):
        return None
    if not live:
        if not _claim(order.id, "pending_payment", "cancelled"):
            return None
        db.session.refresh(order)
        return "cancelled"
    if not _claim(order.id, "pending_payment", "paid", paid_at=utcnow()):
        return None
    db.session.refresh(order)
    _fix_split(order)
    refresh_status(order)
    return "paid"


def expire_if_due(order: Order) -> bool:
    """Checked whenever an unpaid order is looked at."""
    if order.status == "pending_payment" and order.expires_at <= utcnow():
        expired = expire_order(order)
        db.session.commit()
        return expired
    return False


def due_orders(now=None) -> list[int]:
    now = now or utcnow()
    return list(db.session.scalars(
        select(Order.id).where(Order.status == "pending_payment", Order.expires_at <= now)
    ))


def order_by_number(number: str) -> Order | None:
    if not isinstance(number, str) or len(number) > 20:
        return None
    return db.session.scalar(select(Order).where(Order.number == number))


