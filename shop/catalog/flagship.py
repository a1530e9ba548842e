"""Facilities with their product and flagship counts, and the flagship target, in one aggregate
query: the storefront, the facilities API and the Kanwil dashboard all read it from here."""

from dataclasses import dataclass

from flask import current_app
from sqlalchemy import and_, case, func, select

from shop.catalog.models import Product
from shop.core.database import read_entities
from shop.core.time import flagship_target_year
from shop.facilities.models import Facility


def meets_flagship_target(flagship_count: int, target: int) -> bool:
    """A facility meets the target with at least `target` active flagship products."""
    return flagship_count >= target


@dataclass
class FacilitySummary:
    facility: Facility
    product_count: int
    flagship_count: int
    target: int
    target_year: int

    @property
    def meets_target(self):
        return meets_flagship_target(self.flagship_count, self.target)

    @property
    def missing(self):
        return max(0, self.target - self.flagship_count)


def _summaries(where, year: int | None = None) -> list[FacilitySummary]:
    """Facilities matching `where`, by name, with their active products and their active
    flagship products of `year` (default: the configured target year): one query (on the
    process's own connection when the request has nothing begun: shop.core.database
    .read_entities; the facilities then come back detached, every column loaded)."""
    cfg = current_app.config
    target = cfg["FLAGSHIP_TARGET_COUNT"]
    year = flagship_target_year() if year is None else year
    active = Product.status == "active"
    flagship = and_(active, Product.is_flagship.is_(True), Product.flagship_year == year)
    stmt = (
        select(
            Facility,
            func.count(case((active, Product.id))),
            func.count(case((flagship, Product.id))),
        )
        .outerjoin(Product, Product.facility_id == Facility.id)
        .where(where)
        .group_by(Facility.id)
        .order_by(Facility.name)
    )
    return read_entities(lambda session: [
        FacilitySummary(facility, products, flagships, target, year)
        for facility, products, flagships in session.execute(stmt)
    ])


def active_facility_summaries(year: int | None = None) -> list[FacilitySummary]:
    """Every active facility against the flagship target of `year` (default: configured)."""
    return _summaries(Facility.is_active.is_(True), year)


def facility_summary(slug: str) -> FacilitySummary | None:
    rows = _summaries(and_(Facility.is_active.is_(True), Facility.slug == slug))
    return rows[0] if rows else None
