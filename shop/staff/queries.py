"""Reads for the facility desk. Every query is scoped to one facility."""

from datetime import datetime

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import joinedload, selectinload

from shop.core.paging import Page
from shop.core.text import escape_like
from shop.core.time import wit_month_as_utc
from shop.extensions import db
from shop.orders.fulfilment import DESK_STATES
from shop.orders.models import FacilityOrder, Order, OrderLine
from shop.orders.services import PAY_AT_PICKUP
from shop.payments import accounting

PER_PAGE = 20


def _reached_the_desk():
    """Paid orders' parcels, and those of orders paid at pickup, which reach the facility
    before the money does (marked "Bayar di tempat" until paid). Never the parcels of an
    unpaid order by another method, nor of one that expired before payment."""
    return or_(Order.paid_at.isnot(None),
               and_(Order.payment_method == PAY_AT_PICKUP,
                    FacilityOrder.status != "awaiting_payment"))


def _paid(facility_id):
    """The facility's parcels that reached its desk (see _reached_the_desk)."""
    return (select(FacilityOrder).join(FacilityOrder.order)
            .where(FacilityOrder.facility_id == facility_id, _reached_the_desk()))


def state_counts(facility_id) -> dict[str, int]:
    stmt = (select(FacilityOrder.status, func.count()).join(FacilityOrder.order)
            .where(FacilityOrder.facility_id == facility_id, _reached_the_desk())
            .group_by(FacilityOrder.status))
    counts = dict.fromkeys(DESK_STATES, 0)
    counts.update(dict(db.session.execute(stmt).all()))
    return counts


def queue(facility_id, status=None, q="", page=1) -> Page:
    stmt = _paid(facility_id)
    if status in DESK_STATES:
        stmt = stmt.where(FacilityOrder.status == status)
    # A NUL byte is no one's search, and PostgreSQL refuses it in text (a 500 otherwise).
    q = (q or "").replace("\x00", "").strip()[:80]
    if q:
        pattern = f"%{escape_like(q.lower())}%"
        stmt = stmt.where(or_(func.lower(FacilityOrder.number).like(pattern, escape="\\"),
                              func.lower(Order.contact_name).like(pattern, escape="\\")))
    total = db.session.scalar(select(func.count()).select_from(stmt.subquery()))
    pages = max(1, -(-total // PER_PAGE))
    page = min(max(page, 1), pages)
    items = db.session.scalars(
        stmt.options(joinedload(FacilityOrder.order), selectinload(FacilityOrder.lines))
        .order_by(func.coalesce(Order.paid_at, Order.created_at).desc(),
                  FacilityOrder.id.desc())
        .limit(PER_PAGE).offset((page - 1) * PER_PAGE)
    ).unique().all()
    return Page(items=list(items), total=total, page=page, per_page=PER_PAGE)


def facility_order(facility_id, number) -> FacilityOrder | None:
    """The parcel if it belongs to this facility and reached its desk; None (a 404)
    otherwise."""
    if not isinstance(number, str) or len(number) > 24:
        return None
    return db.session.scalar(
        _paid(facility_id).where(FacilityOrder.number == number)
        .options(joinedload(FacilityOrder.order), joinedload(FacilityOrder.facility),
                 selectinload(FacilityOrder.lines), selectinload(FacilityOrder.events))
    )


def export_rows(facility_id, start: datetime, end: datetime):
    stmt = (_paid(facility_id).where(Order.paid_at >= start, Order.paid_at < end)
            .options(joinedload(FacilityOrder.order), selectinload(FacilityOrder.lines))
            .order_by(Order.paid_at))
    return db.session.scalars(stmt).unique().all()


def month_summary(facility_id, year: int, month: int):
    """The facility's WIT month: parcels and goods revenue (the figures of
    shop.payments.accounting, as in the Kanwil's reports), and the top products by units."""
    start, end = wit_month_as_utc(year, month)
    figures = accounting.month_figures(start, end, facility_id).get(
        (facility_id, year, month)) or accounting.Figures(facility_id)
    top = db.session.execute(
        select(OrderLine.product_name, func.sum(OrderLine.quantity), func.sum(OrderLine.line_total))
        .join(FacilityOrder, FacilityOrder.id == OrderLine.facility_order_id)
        .join(Order, Order.id == FacilityOrder.order_id)
        .where(FacilityOrder.facility_id == facility_id, Order.paid_at >= start,
               Order.paid_at < end, FacilityOrder.status != "cancelled")
        .group_by(OrderLine.product_name)
        .order_by(func.sum(OrderLine.quantity).desc()).limit(5)
    ).all()
    top = [(name, int(units), int(revenue_)) for name, units, revenue_ in top]
    return {"parcels": figures.parcels, "revenue": figures.goods_revenue, "figures": figures,
            "top": top}
