"""What promotions did in paid orders: the figures the partner desk and the Kanwil show, and
whether a customer has paid orders before (for "first order only"). Promotions sit below
orders and never read them; these reads live here, above both.

Figures count paid orders only, and leave out cancelled facility orders (their share of the
discount was refunded with them). Aggregate queries, one per table on a page.
"""

from dataclasses import dataclass
from functools import cache

from sqlalchemy import and_, bindparam, distinct, func, or_, select

from shop.core.sqltime import wit_day
from shop.core.text import email_identity
from shop.extensions import db
from shop.facilities.models import Facility
from shop.orders.models import FacilityOrder, Order
from shop.promotions.models import ParcelDiscount, Promotion, PromotionCode, Redemption


def has_paid_orders(user=None, email=None, *, besides=None) -> bool:
    """Whether this account or this mailbox (the email's variants count as one) has an order
    that is paid or still open (several unpaid orders must not each be the "first").
    `besides`: an order id to leave out (the order being paid)."""
    owner = [Order.user_id == user.id] if user is not None else []
    for address in {email, user.email if user is not None else None} - {None, ""}:
        owner.append(Order.email_key == (email_identity(address) or address.lower()))
    if not owner:
        return False
    stmt = select(Order.id).where(or_(*owner), or_(Order.paid_at.isnot(None),
                                                   Order.status == "pending_payment"))
    if besides is not None:
        stmt = stmt.where(Order.id != besides)
    return db.session.scalar(stmt.limit(1)) is not None


@cache
def _first_order_use():
    """Built once: every payment asks it."""
    return (
        select(Redemption.id).join(Promotion, Promotion.id == Redemption.promotion_id)
        .where(Redemption.order_id == bindparam("order_id"), Redemption.released_at.is_(None),
               Promotion.first_order_only.is_(True)).limit(1))


def first_order_taken(order) -> bool:
    """The order used a "first order only" promotion, and the same customer has paid another
    order meanwhile (two unpaid orders both got it): it cannot be paid at that price."""
    uses_first_order = db.session.scalar(_first_order_use(), {"order_id": order.id})
    if uses_first_order is None:
        return False
    owner = [Order.email_key == order.email_key]
    if order.user_id is not None:
        owner.append(Order.user_id == order.user_id)
    return db.session.scalar(
        select(Order.id).where(or_(*owner), Order.id != order.id, Order.paid_at.isnot(None))
        .limit(1)) is not None


@dataclass
class Figures:
    uses: int = 0
    customers: int = 0
    discount: int = 0
    sales: int = 0
    shipping_part: int = 0


@dataclass
class FacilityFigures:
    facility_id: int
    name: str
    slug: str
    parcels: int
    sales: int
    discount: int
    shipping_part: int


def _counted(*columns):
    """Parcel discounts of paid orders whose facility order was not cancelled."""
    return (
        select(*columns).select_from(ParcelDiscount)
        .join(FacilityOrder, FacilityOrder.id == ParcelDiscount.facility_order_id)
        .join(Order, Order.id == FacilityOrder.order_id)
        .where(Order.paid_at.isnot(None), FacilityOrder.status != "cancelled")
    )


def _int(value) -> int:
    return int(value or 0)  # PostgreSQL's SUM(bigint) is numeric


def promotion_figures(promotion_id: int) -> Figures:
    row = db.session.execute(
        _counted(func.count(distinct(FacilityOrder.order_id)),
                 func.count(distinct(Redemption.customer_key)),
                 func.sum(ParcelDiscount.amount), func.sum(FacilityOrder.subtotal),
                 func.sum(ParcelDiscount.shipping_part))
        .outerjoin(Redemption, and_(Redemption.order_id == FacilityOrder.order_id,
                                    Redemption.promotion_id == ParcelDiscount.promotion_id))
        .where(ParcelDiscount.promotion_id == promotion_id)
    ).one()
    return Figures(*(_int(value) for value in row))


def figures_by_promotion(promotion_ids) -> dict[int, Figures]:
    """Uses and discount of several promotions (one grouped query), for the lists."""
    if not promotion_ids:
        return {}
    rows = db.session.execute(
        _counted(ParcelDiscount.promotion_id, func.count(distinct(FacilityOrder.order_id)),
                 func.sum(ParcelDiscount.amount))
        .where(ParcelDiscount.promotion_id.in_(list(promotion_ids)))
        .group_by(ParcelDiscount.promotion_id)
    ).all()
    return {pid: Figures(uses=_int(uses), discount=_int(discount))
            for pid, uses, discount in rows}


def figures_by_facility(promotion_id: int, partner_funded_only=False) -> list[FacilityFigures]:
    stmt = (
        _counted(Facility.id, Facility.name, Facility.slug, func.count(FacilityOrder.id),
                 func.sum(FacilityOrder.subtotal), func.sum(ParcelDiscount.amount),
                 func.sum(ParcelDiscount.shipping_part))
        .join(Facility, Facility.id == FacilityOrder.facility_id)
        .where(ParcelDiscount.promotion_id == promotion_id)
        .group_by(Facility.id, Facility.name, Facility.slug)
        .order_by(Facility.name, Facility.id)
    )
    if partner_funded_only:
        stmt = stmt.where(ParcelDiscount.funding == "partner")
    return [FacilityFigures(fid, name, slug, _int(parcels), _int(sales), _int(discount),
                            _int(shipping))
            for fid, name, slug, parcels, sales, discount, shipping
            in db.session.execute(stmt).all()]


def figures_by_day(promotion_id: int) -> list[tuple[str, int, int]]:
    """(YYYY-MM-DD in WIT, uses, discount) for each day the promotion was used, by the day
    the order was placed."""
    day = wit_day(Order.created_at).label("day")
    rows = db.session.execute(
        _counted(day, func.count(distinct(FacilityOrder.order_id)),
                 func.sum(ParcelDiscount.amount))
        .where(ParcelDiscount.promotion_id == promotion_id)
        .group_by(day).order_by(day)
    ).all()
    return [(str(value), _int(uses), _int(discount)) for value, uses, discount in rows]


def code_uses(promotion_id: int) -> list[tuple]:
    """(code, single use, used at, order number or None) of every code of a promotion."""
    return db.session.execute(
        select(PromotionCode.code, PromotionCode.single_use, PromotionCode.used_at,
               Order.number)
        .outerjoin(Order, Order.id == PromotionCode.used_by_order_id)
        .where(PromotionCode.promotion_id == promotion_id).order_by(PromotionCode.id)
    ).all()
