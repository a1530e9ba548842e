"""Reads of the Kanwil's management screens. Each list is one query for the rows and one for
the count (a page past the end shows the last page)."""

from sqlalchemy import func, or_, select

from shop.accounts.models import User
from shop.catalog.models import Product
from shop.core.paging import Page, paginate
from shop.core.text import escape_like
from shop.extensions import db
from shop.facilities.models import Facility, ShippingRate
from shop.promotions.partners import PartnerOrganization

ACCOUNT_ROLES = ("facility_staff", "partner", "admin", "customer")
PER_PAGE = 50


def paged(stmt, page, *order_by) -> Page:
    result = paginate(stmt, page, PER_PAGE, *order_by)
    if result.page > result.pages:  # past the end: the last page
        result = paginate(stmt, result.pages, PER_PAGE, *order_by)
    return result


def _matching(q, *columns):
    pattern = f"%{escape_like(q.lower())}%"
    return or_(*(func.lower(column).like(pattern, escape="\\") for column in columns))


# ------------------------------------------------------------------ facilities

def facility_by_slug(slug) -> Facility | None:
    return db.session.scalar(select(Facility).where(Facility.slug == slug))


def facilities_for_choice() -> list[Facility]:
    """Every facility, active ones first, by name."""
    return list(db.session.scalars(
        select(Facility).order_by(Facility.is_active.desc(), Facility.name)))


def facility_rows():
    """Every facility (active and inactive) with its number of active products: 1 query."""
    active_products = (
        select(func.count(Product.id))
        .where(Product.facility_id == Facility.id, Product.status == "active")
        .correlate(Facility).scalar_subquery()
    )
    return db.session.execute(
        select(Facility, active_products.label("active_products"))
        .order_by(Facility.is_active.desc(), Facility.name)
    ).all()


def shipping_rates(facility) -> dict[str, ShippingRate]:
    return {rate.zone: rate for rate in db.session.scalars(
        select(ShippingRate).where(ShippingRate.facility_id == facility.id))}


# ------------------------------------------------------------------ products

def product_page(facility_id=None, status=None, q="", page=1) -> Page:
    """Products of any facility, by facility and name; filtered by facility, status, text."""
    stmt = select(Product).join(Product.facility)
    if facility_id:
        stmt = stmt.where(Product.facility_id == facility_id)
    if status in ("draft", "active", "archived"):
        stmt = stmt.where(Product.status == status)
    q = (q or "").strip()[:80]
    if q:
        stmt = stmt.where(_matching(q, Product.name, Product.slug))
    return paged(stmt, page, Facility.name, Product.name, Product.id)


# ------------------------------------------------------------------ accounts

def account_page(role=None, q="", page=1) -> Page:
    """Accounts, by role and e-mail; without a role, everyone but customers."""
    stmt = select(User)
    if role in ACCOUNT_ROLES:
        stmt = stmt.where(User.role == role)
    else:
        stmt = stmt.where(User.role != "customer")
    q = (q or "").strip()[:80]
    if q:
        stmt = stmt.where(_matching(q, User.email, User.name))
    return paged(stmt, page, User.role, User.email)


def account_names():
    """(partner id -> name, facility id -> name) for the account list."""
    partners = dict(db.session.execute(
        select(PartnerOrganization.id, PartnerOrganization.name)).all())
    facilities = dict(db.session.execute(select(Facility.id, Facility.name)).all())
    return partners, facilities


# ------------------------------------------------------------------ partner organisations

def partner_by_slug(slug) -> PartnerOrganization | None:
    return db.session.scalar(
        select(PartnerOrganization).where(PartnerOrganization.slug == slug))


def partners_by_name() -> list[PartnerOrganization]:
    return list(db.session.scalars(
        select(PartnerOrganization).order_by(PartnerOrganization.name)))


def partner_rows():
    """Partner organisations with their number of users: 1 query."""
    users = (select(func.count(User.id)).where(User.partner_id == PartnerOrganization.id)
             .correlate(PartnerOrganization).scalar_subquery())
    return db.session.execute(
        select(PartnerOrganization, users.label("users")).order_by(PartnerOrganization.name)
    ).all()
