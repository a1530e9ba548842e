"""Order state: paying, expiring, and the customer order's status derived from its parcels."""

import logging

from sqlalchemy import select, update

from shop.catalog.models import Product
from shop.core.cache import bump_version
from shop.core.time import utcnow
from shop.extensions import db
from shop.mail.services import queue_email
from shop.orders.models import FacilityOrderEvent, Order

log = logging.getLogger(__name__)

DONE = {"delivered", "picked_up"}
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


def _claim(order_id, from_status, to_status, **values) -> bool:
    """Move the order only if it is still in `from_status` (the row is the lock)."""
    result = db.session.execute(
        update(Order).where(Order.id == order_id, Order.status == from_status)
        .values(status=to_status, updated_at=utcnow(), **values)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount == 1


def _release_to_facilities(order: Order, actor: str):
    for fo in order.facility_orders:
        _log_event(fo, "new", actor, "Pembayaran diterima")
        fo.status = "new"
        # the split in force at the sale stays with the sale (shop.payments.accounting)
        fo.premi_percent = fo.facility.premi_percent
        fo.pnbp_percent = fo.facility.pnbp_percent
        fo.capital_percent = fo.facility.capital_percent
    notify_paid(order)


def notify_paid(order: Order):
    queue_email(order.email, f"Pesanan {order.number} sudah dibayar", "order_paid", order=order)
    for fo in order.facility_orders:
        if fo.facility.email:
            queue_email(fo.facility.email, f"Pesanan baru {fo.number}", "facility_new_order",
                        order=order, fo=fo)


def mark_paid(order: Order, actor="pembayaran") -> str:
    """pending_payment -> paid, or expired -> paid when the stock can be taken again.
    Returns 'paid', 'already_paid', or 'needs_refund' (expired and the stock is gone)."""
    now = utcnow()
    if _claim(order.id, "pending_payment", "paid", paid_at=now):
        db.session.refresh(order)
        _release_to_facilities(order, actor)
        return "paid"
    db.session.refresh(order)
    if order.status != "expired":
        return "already_paid"
    savepoint = db.session.begin_nested()
    if not _claim(order.id, "expired", "paid", paid_at=now) or not _retake_stock(order):
        savepoint.rollback()
        return "needs_refund"
    savepoint.commit()
    db.session.refresh(order)
    bump_version(db.session)
    _release_to_facilities(order, actor)
    return "paid"


def _lines_in_lock_order(order: Order):
    """Order lines sorted by product id: stock rows are always locked in the same order."""
    lines = [line for fo in order.facility_orders for line in fo.lines]
    return sorted(lines, key=lambda line: line.product_id or 0)


def _retake_stock(order: Order) -> bool:
    for line in _lines_in_lock_order(order):
        result = db.session.execute(
            update(Product).where(Product.id == line.product_id, Product.stock >= line.quantity)
            .values(stock=Product.stock - line.quantity)
            .execution_options(synchronize_session=False)
        )
        if result.rowcount != 1:
            return False
    return True


def _restore_stock(order: Order):
    for line in _lines_in_lock_order(order):
        if line.product_id is not None:
            db.session.execute(
                update(Product).where(Product.id == line.product_id)
                .values(stock=Product.stock + line.quantity)
                .execution_options(synchronize_session=False)
            )


def expire_order(order: Order) -> bool:
    """pending_payment -> expired: the stock goes back, the parcels are cancelled. Returns
    False when the order was paid (or expired) in the meantime. The caller commits."""
    if not _claim(order.id, "pending_payment", "expired"):
        return False
    db.session.refresh(order)
    _restore_stock(order)
    for fo in order.facility_orders:
        _log_event(fo, "cancelled", "sistem", "Batas waktu pembayaran habis")
        fo.status = "cancelled"
    bump_version(db.session)
    return True


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


def release_expired_orders(now=None) -> list[Order]:
    """Expire every unpaid order past its window, each in its own transaction."""
    expired = []
    for order_id in due_orders(now):
        order = db.session.get(Order, order_id)
        try:
            if expire_order(order):
                expired.append(order)
            db.session.commit()
        except Exception:
            db.session.rollback()
            log.exception("could not expire order %s", order_id)
    return expired


def order_by_number(number: str) -> Order | None:
    if not isinstance(number, str) or len(number) > 20:
        return None
    return db.session.scalar(select(Order).where(Order.number == number))


