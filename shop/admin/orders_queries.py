"""Reads for the Kanwil's order desk and audit log: find any order, load one with its payments,
page through the audit log. Each list is one query for the rows and one for the count."""

from datetime import date

from sqlalchemy import func, or_, select
from sqlalchemy.orm import selectinload

from shop.core.audit import AuditEntry
from shop.core.paging import Page
from shop.core.text import escape_like, normalize_phone
from shop.core.time import wit_days_as_utc
from shop.extensions import db
from shop.facilities.models import Facility
from shop.orders.models import ORDER_STATUSES, FacilityOrder, Order
from shop.payments.models import Payment, PaymentEvent, Refund

ORDERS_PER_PAGE = 25
AUDIT_PER_PAGE = 50


def mask_email(email: str) -> str:
    """b***@example.com: enough to tell orders apart in a list, not enough to contact anyone."""
    local, at, domain = (email or "").partition("@")
    if not at:
        return "***"
    return f"{local[:1]}***@{domain}"


# ------------------------------------------------------------------ orders

def _search_condition(q: str):
    """An order matches its own number, one of its facility-order numbers, its e-mail (any case)
    or its phone in any written form (0812..., +62 812..., 62812...)."""
    number = q.upper()
    conditions = [
        Order.number == number,
        Order.id.in_(select(FacilityOrder.order_id).where(FacilityOrder.number == number)),
    ]
    if "@" in q:
        conditions.append(func.lower(Order.email) == q.lower())
    phone = normalize_phone(q)
    if phone:
        conditions.append(Order.phone == phone)
    return or_(*conditions)


def search_orders(q: str = "", status: str | None = None, page: int = 1,
                  per_page: int = ORDERS_PER_PAGE) -> Page:
    """Orders newest first, optionally found by `q` and narrowed to one status."""
    stmt = select(Order)
    q = (q or "").strip()[:254]
    if q:
        stmt = stmt.where(_search_condition(q))
    if status in ORDER_STATUSES:
        stmt = stmt.where(Order.status == status)
    total = db.session.scalar(select(func.count()).select_from(stmt.subquery()))
    pages = max(1, -(-total // per_page))
    page = min(max(page, 1), pages)
    items = db.session.scalars(
        stmt.order_by(Order.created_at.desc(), Order.id.desc())
        .limit(per_page).offset((page - 1) * per_page)
    ).all()
    return Page(items=list(items), total=total, page=page, per_page=per_page)


def order_number_for(number: str) -> str | None:
    """The customer order's number for an order or facility-order number (any case)."""
    if not isinstance(number, str) or not number or len(number) > 24:
        return None
    number = number.strip().upper()
    found = db.session.scalar(select(Order.number).where(Order.number == number))
    if found:
        return found
    return db.session.scalar(
        select(Order.number).join(FacilityOrder, FacilityOrder.order_id == Order.id)
        .where(FacilityOrder.number == number)
    )


def order_for_admin(number: str) -> Order | None:
    """The order with its parcels (facility, lines, timeline) in a fixed number of queries."""
    if not isinstance(number, str) or len(number) > 20:
        return None
    return db.session.scalar(
        select(Order).where(Order.number == number)
        .options(
            selectinload(Order.facility_orders).joinedload(FacilityOrder.facility),
            selectinload(Order.facility_orders).selectinload(FacilityOrder.lines),
            selectinload(Order.facility_orders).selectinload(FacilityOrder.events),
        )
        .execution_options(populate_existing=True)
    )


def payments_of(order: Order) -> tuple[list[Payment], list[PaymentEvent], list[Refund]]:
    """The order's payment attempts, the gateway events about them, and its refunds."""
    payments = list(db.session.scalars(
        select(Payment).where(Payment.order_id == order.id).order_by(Payment.attempt)
    ))
    intents = [p.intent_id for p in payments]
    events = list(db.session.scalars(
        select(PaymentEvent).where(PaymentEvent.intent_id.in_(intents))
        .order_by(PaymentEvent.received_at, PaymentEvent.id)
    )) if intents else []
    refunds = list(db.session.scalars(
        select(Refund).join(Refund.payment).where(Payment.order_id == order.id)
        .order_by(Refund.id)
    )) if payments else []
    return payments, events, refunds


def facility_order_of(order: Order, number: str) -> FacilityOrder | None:
    return next((fo for fo in order.facility_orders if fo.number == number), None)


# ------------------------------------------------------------------ audit log

def audit_log(facility_id: int | None = None, user: str = "", kind: str = "",
              start: date | None = None, end: date | None = None, page: int = 1,
              per_page: int = AUDIT_PER_PAGE) -> Page:
    """Audit entries newest first. `user` matches inside the actor's e-mail (any case);
    `start`..`end` are WIT dates, both included. Items are (AuditEntry, facility name)."""
    conditions = []
    if facility_id:
        conditions.append(AuditEntry.facility_id == facility_id)
    user = (user or "").strip()[:160]
    if user:
        pattern = f"%{escape_like(user.lower())}%"
        conditions.append(func.lower(AuditEntry.actor_label).like(pattern, escape="\\"))
    kind = (kind or "").strip()[:40]
    if kind:
        conditions.append(AuditEntry.kind == kind)
    if start:
        conditions.append(AuditEntry.created_at >= wit_days_as_utc(start, start)[0])
    if end:
        conditions.append(AuditEntry.created_at < wit_days_as_utc(end, end)[1])
    total = db.session.scalar(select(func.count(AuditEntry.id)).where(*conditions))
    pages = max(1, -(-total // per_page))
    page = min(max(page, 1), pages)
    rows = db.session.execute(
        select(AuditEntry, Facility.name)
        .outerjoin(Facility, Facility.id == AuditEntry.facility_id)
        .where(*conditions)
        .order_by(AuditEntry.created_at.desc(), AuditEntry.id.desc())
        .limit(per_page).offset((page - 1) * per_page)
    ).all()
    return Page(items=[(entry, name) for entry, name in rows], total=total, page=page,
                per_page=per_page)


def audit_kinds() -> list[str]:
    return list(db.session.scalars(select(AuditEntry.kind).distinct().order_by(AuditEntry.kind)))


def facility_choices() -> list[tuple[int, str]]:
    return [tuple(row) for row in db.session.execute(
        select(Facility.id, Facility.name).order_by(Facility.name)
    )]

