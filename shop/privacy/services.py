"""UU PDP: what the shop knows about a customer (export), forgetting it (account deletion) and
keeping it no longer than needed (retention cleanup).

Anonymising an order touches only its personal fields: sums, statuses, the facility orders and
their lines stay exactly as they were, so every report keeps adding up.
"""

import json
from datetime import timedelta

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import String, and_, cast, delete, exists, func, literal, or_, select, update
from sqlalchemy.orm import selectinload

from shop.accounts.models import ApiToken, User
from shop.cart.models import Cart, CartLine
from shop.core.audit import AuditEntry, record
from shop.core.text import email_identity
from shop.core.time import utcnow
from shop.extensions import db
from shop.mail.models import OutboxMessage
from shop.orders.models import FacilityOrder, Order

ANON_NAME = "Dihapus"
ANON_DOMAIN = "@invalid"
# An order in one of these states still needs its address (to deliver, to hand over, to pay).
OPEN_ORDER_STATES = ("pending_payment", "paid", "partially_shipped", "shipped")
CART_RETENTION_DEFAULT = 30
EXPIRED_ORDER_RETENTION_DEFAULT = 90


class PrivacyError(ValueError):
    """The request cannot be done; the message (Indonesian) says why."""


# ------------------------------------------------------------------ export

def _iso(value):
    return value.isoformat(timespec="seconds") + "Z" if value else None


def orders_of(user: User):
    """The account's orders, and once its e-mail is verified the guest orders of that mailbox
    (the same rule as the order history)."""
    key = email_identity(user.email) if user.email_verified_at else None
    mine = Order.user_id == user.id
    return or_(mine, and_(Order.user_id.is_(None), Order.email_key == key)) if key else mine


def export_user_data(user: User) -> dict:
    """Everything kept about this user: profile, saved address, cart and their orders (with
    parcels and lines). Nothing about anyone else: no staff names, no timeline actors."""
    orders = db.session.scalars(
        select(Order).where(orders_of(user))
        .options(selectinload(Order.facility_orders).joinedload(FacilityOrder.facility),
                 selectinload(Order.facility_orders).selectinload(FacilityOrder.lines))
        .order_by(Order.created_at, Order.id)
    ).all()
    cart = db.session.scalar(
        select(Cart).where(Cart.user_id == user.id)
        .options(selectinload(Cart.lines).joinedload(CartLine.product))
    )
    try:
        saved_address = json.loads(user.saved_address) if user.saved_address else None
    except ValueError:
        saved_address = None
    return {
        "exported_at": _iso(utcnow()),
        "profile": {
            "name": user.name, "email": user.email, "phone": user.phone, "role": user.role,
            "created_at": _iso(user.created_at), "last_login_at": _iso(user.last_login_at),
        },
        "saved_address": saved_address,
        "cart": [
            {"product": line.product.slug, "name": line.product.name,
             "quantity": line.quantity, "price_seen": line.price_seen,
             "added_at": _iso(line.created_at)}
            for line in (cart.lines if cart else [])
        ],
        "orders": [_order_dict(order) for order in orders],
    }


def _order_dict(order: Order) -> dict:
    return {
        "number": order.number, "status": order.status,
        "created_at": _iso(order.created_at), "paid_at": _iso(order.paid_at),
        "contact": {"name": order.contact_name, "email": order.email, "phone": order.phone},
        "address": {"street": order.street, "rt_rw": order.rt_rw,
                    "kelurahan": order.kelurahan, "kecamatan": order.kecamatan,
                    "city": order.city, "province": order.province,
                    "postal_code": order.postal_code},
        "note": order.note,
        "subtotal": order.subtotal, "shipping_total": order.shipping_total,
        "discount_total": order.discount_total, "total": order.total,
        "parcels": [
            {"number": fo.number, "facility": fo.facility.name, "status": fo.status,
             "delivery": fo.delivery, "courier": fo.courier,
             "tracking_number": fo.tracking_number, "subtotal": fo.subtotal,
             "shipping": fo.shipping, "discount": fo.discount, "total": fo.total,
             "lines": [{"product": line.product_name, "unit": line.unit,
                        "unit_price": line.unit_price, "quantity": line.quantity,
                        "line_total": line.line_total} for line in fo.lines]}
            for fo in order.facility_orders
        ],
    }


def export_json(user: User) -> str:
    return json.dumps(export_user_data(user), ensure_ascii=False, indent=2)


# ------------------------------------------------------------------ anonymising orders

def anonymise_orders(order_ids) -> int:
    """Blank the personal fields of these orders (one UPDATE). City and province stay for the
    reports; sums, statuses and the facility orders are not touched. The caller commits."""
    ids = list(order_ids)
    if not ids:
        return 0
    from shop.promotions.models import Redemption

    result = db.session.execute(
        update(Order).where(Order.id.in_(ids))
        .values(contact_name=ANON_NAME,
                email=literal("deleted+") + cast(Order.id, String) + literal(ANON_DOMAIN),
                phone="", street="", rt_rw="", kelurahan="", kecamatan="", postal_code="",
                note="")
        .execution_options(synchronize_session=False)
    )
    # A guest's promotion uses are keyed by their e-mail: keep the count, drop the address.
    db.session.execute(
        update(Redemption)
        .where(Redemption.order_id.in_(ids), Redemption.customer_key.like("email:%"))
        .values(customer_key=literal("anon:order:") + cast(Redemption.order_id, String))
        .execution_options(synchronize_session=False)
    )
    return result.rowcount


def _is_anonymised():
    return and_(Order.contact_name == ANON_NAME, Order.email.like(f"deleted+%{ANON_DOMAIN}"))


# ------------------------------------------------------------------ deleting an account

def can_self_delete(user: User) -> bool:
    return user.role == "customer"


def open_orders(user: User) -> list[str]:
    """Numbers of the user's orders still in progress (their address is still needed)."""
    return list(db.session.scalars(
        select(Order.number).where(orders_of(user), Order.status.in_(OPEN_ORDER_STATES))
        .order_by(Order.created_at)
    ))


def delete_account(user: User, password: str) -> int:
    """Forget a customer: their orders are anonymised (sums kept), their cart deleted, the
    account row blanked and deactivated (every session signed out). Refused for staff, admins
    and partners, with a wrong password, or while an order still needs delivering. Commits.
    Returns the number of orders anonymised."""
    if not can_self_delete(user):
        raise PrivacyError(_("Akun petugas, admin dan mitra tidak dapat dihapus sendiri. "
                             "Hubungi Kanwil."))
    if not user.check_password(password or ""):
        raise PrivacyError(_("Kata sandi salah."))
    pending = open_orders(user)
    if pending:
        raise PrivacyError(_("Masih ada pesanan yang berjalan (%(orders)s). Akun dapat dihapus "
                             "setelah pesanan selesai atau dibatalkan.",
                             orders=", ".join(pending)))
    old_email = user.email
    order_ids = list(db.session.scalars(select(Order.id).where(orders_of(user))))
    order_emails = set(db.session.scalars(
        select(Order.email).where(orders_of(user)).distinct()
    ))
    count = anonymise_orders(order_ids)
    cart_ids = select(Cart.id).where(Cart.user_id == user.id)
    db.session.execute(delete(CartLine).where(CartLine.cart_id.in_(cart_ids)))
    db.session.execute(delete(Cart).where(Cart.user_id == user.id))
    db.session.execute(delete(ApiToken).where(ApiToken.user_id == user.id))
    # Mails already sent hold names and addresses; ones still waiting (e.g. a refund notice)
    # are kept so the customer still hears about their money.
    addresses = {old_email.lower()} | {email.lower() for email in order_emails}
    db.session.execute(
        delete(OutboxMessage).where(func.lower(OutboxMessage.to_address).in_(addresses),
                                    OutboxMessage.status == "sent")
    )
    label = f"akun-dihapus-{user.id}"
    db.session.execute(
        update(AuditEntry).where(AuditEntry.actor_id == user.id).values(actor_label=label)
        .execution_options(synchronize_session=False)
    )
    db.session.execute(
        update(AuditEntry).where(func.lower(AuditEntry.subject) == old_email.lower())
        .values(subject=label).execution_options(synchronize_session=False)
    )
    user.email = f"deleted+{user.id}{ANON_DOMAIN}"
    user.name = ""
    user.phone = ""
    user.saved_address = None
    user.password_hash = None
    user.last_login_at = None
    user.is_active_account = False
    user.session_version = (user.session_version or 1) + 1
    entry = record("account.deleted", subject=label, note=f"{count} pesanan dianonimkan")
    entry.actor_id = user.id
    entry.actor_label = label
    db.session.commit()
    return count


# ------------------------------------------------------------------ retention

def retention_days() -> tuple[int, int]:
    config = current_app.config
    return (int(config.get("RETENTION_CART_DAYS", CART_RETENTION_DEFAULT)),
            int(config.get("RETENTION_EXPIRED_ORDER_DAYS", EXPIRED_ORDER_RETENTION_DEFAULT)))


def cleanup(now=None, cart_days=None, order_days=None) -> tuple[int, int]:
    """Delete carts untouched for `cart_days` and anonymise expired (never paid) orders created
    more than `order_days` ago. Returns (carts deleted, orders anonymised). Commits."""
    now = now or utcnow()
    default_carts, default_orders = retention_days()
    cart_cutoff = now - timedelta(days=default_carts if cart_days is None else cart_days)
    order_cutoff = now - timedelta(days=default_orders if order_days is None else order_days)

    # A line added recently counts as activity (adding a line does not touch the cart row).
    recent_line = exists().where(CartLine.cart_id == Cart.id, CartLine.created_at >= cart_cutoff)
    stale = list(db.session.scalars(
        select(Cart.id).where(Cart.updated_at < cart_cutoff, ~recent_line)
    ))
    carts = 0
    for start in range(0, len(stale), 500):
        chunk = stale[start:start + 500]
        db.session.execute(delete(CartLine).where(CartLine.cart_id.in_(chunk)))
        carts += db.session.execute(delete(Cart).where(Cart.id.in_(chunk))).rowcount

    expired = list(db.session.scalars(
        select(Order.id).where(Order.status == "expired", Order.paid_at.is_(None),
                               Order.created_at < order_cutoff, ~_is_anonymised())
    ))
    orders = 0
    for start in range(0, len(expired), 500):
        orders += anonymise_orders(expired[start:start + 500])
    if carts or orders:
        record("data.cleanup", note=f"{carts} keranjang dihapus, {orders} pesanan dianonimkan")
    db.session.commit()
    return carts, orders
