"""The impact figures: shop.payments.accounting's figures of a year summed per facility (the
Kanwil's sales report for that year), with the flagship products. Four queries."""

from dataclasses import dataclass, field

from sqlalchemy import select

from shop.catalog.models import Product
from shop.core.time import to_wit, utcnow
from shop.extensions import db
from shop.payments import accounting

AMOUNTS = ("goods_revenue", "premi", "pnbp", "capital")


@dataclass
class FacilityImpact:
    slug: str
    name: str
    orders: int
    units: int
    goods_revenue: int
    premi: int
    pnbp: int
    capital: int
    flagships: list[str] = field(default_factory=list)

    def as_json(self) -> dict:
        return {"facility": self.slug, "name": self.name, "orders": self.orders,
                "units": self.units, **{name: getattr(self, name) for name in AMOUNTS}}


@dataclass
class Impact:
    year: int
    provisional: bool
    closed_months: int
    facilities: list[FacilityImpact]
    totals: dict

    def as_json(self) -> dict:
        return {"year": self.year, "provisional": self.provisional,
                "facilities": [f.as_json() for f in self.facilities], "totals": self.totals}


def impact(year: int) -> Impact:
    rows = accounting.period_figures(year)
    closed = accounting.closed_months(year)
    facilities = []
    for figures in accounting.per_facility(rows).values():
        facilities.append(FacilityImpact(
            figures.slug, figures.name, figures.parcels, figures.units,
            *(getattr(figures, name) for name in AMOUNTS)))
    flagships = db.session.execute(
        select(Product.facility_id, Product.name)
        .where(Product.status == "active", Product.is_flagship.is_(True),
               Product.flagship_year == year).order_by(Product.name)).all()
    by_slug = {f.slug: f for f in facilities}
    ids = {figures.facility_id: figures.slug
           for figures in accounting.per_facility(rows).values()}
    for facility_id, name in flagships:
        if ids.get(facility_id) in by_slug:
            by_slug[ids[facility_id]].flagships.append(name)
    facilities.sort(key=lambda f: (-f.goods_revenue, f.name.casefold()))
    totals = {"orders": sum(f.orders for f in facilities),
              "units": sum(f.units for f in facilities),
              **{name: sum(getattr(f, name) for f in facilities) for name in AMOUNTS}}
    return Impact(year, closed < 12, closed, facilities, totals)


def default_year() -> int:
    return to_wit(utcnow()).year
