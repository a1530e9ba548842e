"""The Kanwil reports: sales per facility per month with the premi / PNBP / working-capital
split, products per facility, and partner statements. Every figure comes from aggregate SQL
(GROUP BY facility, month, ...); Python only merges the grouped rows and splits.

The sales figures are those of `shop.payments.accounting` (the same functions feed the
dashboard, the facility desk's monthly summary, the monthly close and the public impact page);
its docstring holds the definitions, repeated here and on the report pages:

- Period: the WIT (UTC+9) month of the payment (`customer_order.paid_at`, naive UTC).
- Goods revenue = line totals - facility-funded discounts on goods - refunds of goods.
  Partner-funded discounts are owed by the partner and stay in goods revenue.
- Shipping collected, shipping discounts (free shipping), bank-transfer unique codes and
  gateway fees are separate lines, never split.
- Split = goods revenue x the parcel's own percentages (fixed when it was paid), largest
  remainder per group of equal percentages: premi + PNBP + capital = goods revenue per row.
- A parcel cancelled after payment is no sale; refunds of goods count when made. Once a month
  is closed its figures are frozen; later changes are adjustments of the month they happen in.
- Products: units sold and revenue (line totals, before discounts) of counted parcels, per
  product; stock and flagship status as they are now. A product deleted since keeps its sales
  under its name at the time of sale.
- Partner statement: per partner and facility, the partner-funded discounts of counted
  parcels: what the partner owes the facility for the period.
"""

from dataclasses import dataclass, field

from sqlalchemy import and_, case, func, or_, select

from shop.catalog.models import Product
from shop.core.time import wit_month_as_utc
from shop.extensions import db
from shop.facilities.models import Facility
from shop.orders.models import FacilityOrder, Order, OrderLine
from shop.payments import accounting
from shop.payments.accounting import Figures
from shop.promotions.models import ParcelDiscount, Promotion
from shop.promotions.partners import PartnerOrganization

REFUND_STATUSES = ("pending", "succeeded")
SPLIT_PARTS = ("premi", "pnbp", "capital")


# ------------------------------------------------------------------ periods

period_bounds = wit_month_as_utc  # the WIT year (or month) as naive UTC bounds [start, end)


current_year = accounting.current_year
first_paid_year = accounting.first_paid_year


def _in_period(year, month):
    start, end = wit_month_as_utc(year, month)
    return and_(Order.paid_at >= start, Order.paid_at < end)


def _counted(year, month):
    """Paid in the period and not cancelled."""
    return and_(_in_period(year, month), FacilityOrder.status != "cancelled")


def _int(value) -> int:
    return int(value or 0)  # SUM is NULL over no rows, and a Decimal on PostgreSQL


# ------------------------------------------------------------------ sales

def split_net(amount: int, percents: tuple[int, int, int]) -> tuple[int, int, int]:
    """The one split rule (shop.payments.accounting.split)."""
    return accounting.split(amount, percents)


@dataclass
class FacilitySales:
    facility_id: int
    name: str
    months: list[Figures] = field(default_factory=list)
    total: Figures | None = None

    @property
    def rule(self) -> str:
        return self.total.rule if self.total else ""


@dataclass
class SalesReport:
    year: int
    month: int | None
    facilities: list[FacilitySales]
    total: Figures

    @property
    def rows(self) -> list[Figures]:
        return [row for facility in self.facilities for row in facility.months]

    @property
    def closed(self) -> bool:
        return bool(self.rows) and all(row.closed for row in self.rows)


def sales_report(year: int, month: int | None = None) -> SalesReport:
    rows = accounting.period_figures(year, month)
    by_facility: dict[int, FacilitySales] = {}
    for (facility_id, _, _), figures in sorted(rows.items()):
        group = by_facility.setdefault(facility_id, FacilitySales(facility_id, figures.name))
        group.months.append(figures)
    for group in by_facility.values():
        group.total = accounting.total_of(group.months, group.facility_id, group.name)
    ordered = sorted(by_facility.values(), key=lambda g: (g.name.casefold(), g.facility_id))
    total = accounting.total_of([g.total for g in ordered])
    return SalesReport(year, month, ordered, total)


# ------------------------------------------------------------------ products

@dataclass
class ProductRow:
    facility_id: int
    facility_name: str
    product_id: int | None
    name: str
    slug: str
    status: str | None  # None: deleted since
    units: int
    revenue: int
    stock: int | None
    flagship_year: int | None


@dataclass
class FacilityProducts:
    facility_id: int
    name: str
    products: list[ProductRow] = field(default_factory=list)

    @property
    def units(self):
        return sum(p.units for p in self.products)

    @property
    def revenue(self):
        return sum(p.revenue for p in self.products)


@dataclass
class ProductsReport:
    year: int
    month: int | None
    facilities: list[FacilityProducts]

    @property
    def rows(self):
        return [row for facility in self.facilities for row in facility.products]

    @property
    def units(self):
        return sum(f.units for f in self.facilities)

    @property
    def revenue(self):
        return sum(f.revenue for f in self.facilities)


def products_report(year: int, month: int | None = None) -> ProductsReport:
    """Every product with sales in the period, and every active product (with no sales: 0)."""
    fo, line = FacilityOrder, OrderLine
    deleted_key = case((line.product_id.is_(None), line.product_slug))
    sold = db.session.execute(
        select(fo.facility_id, line.product_id, deleted_key, func.max(line.product_name),
               func.sum(line.quantity), func.sum(line.line_total))
        .select_from(line)
        .join(fo, fo.id == line.facility_order_id)
        .join(Order, Order.id == fo.order_id)
        .where(_counted(year, month))
        .group_by(fo.facility_id, line.product_id, deleted_key)
    ).all()
    sales = {}
    gone = []
    for facility_id, product_id, slug, name, units, revenue in sold:
        if product_id is None:
            gone.append((facility_id, slug, name, _int(units), _int(revenue)))
        else:
            units_before, revenue_before = sales.get(product_id, (0, 0))
            sales[product_id] = (units_before + _int(units), revenue_before + _int(revenue))

    products = db.session.execute(
        select(Product.id, Product.facility_id, Product.name, Product.slug, Product.status,
               Product.stock, Product.is_flagship, Product.flagship_year)
        .where(or_(Product.status == "active", Product.id.in_(list(sales))))
    ).all()
    names = dict(db.session.execute(select(Facility.id, Facility.name)).all())

    groups: dict[int, FacilityProducts] = {}

    def group(facility_id):
        if facility_id not in groups:
            groups[facility_id] = FacilityProducts(facility_id, names.get(facility_id, "?"))
        return groups[facility_id]

    for p in products:
        units, revenue = sales.get(p.id, (0, 0))
        group(p.facility_id).products.append(ProductRow(
            p.facility_id, names.get(p.facility_id, "?"), p.id, p.name, p.slug, p.status,
            units, revenue, p.stock, p.flagship_year if p.is_flagship else None))
    for facility_id, slug, name, units, revenue in gone:
        group(facility_id).products.append(ProductRow(
            facility_id, names.get(facility_id, "?"), None, name, slug, None, units, revenue,
            None, None))
    for g in groups.values():
        g.products.sort(key=lambda p: (-p.revenue, -p.units, p.name.casefold(), p.slug))
    ordered = sorted(groups.values(), key=lambda g: (g.name.casefold(), g.facility_id))
    return ProductsReport(year, month, ordered)


# ------------------------------------------------------------------ partner statements

@dataclass
class PartnerLine:
    facility_id: int
    facility_name: str
    parcels: int
    amount: int


@dataclass
class PartnerStatement:
    partner_id: int
    name: str
    lines: list[PartnerLine] = field(default_factory=list)

    @property
    def amount(self):
        return sum(line.amount for line in self.lines)

    @property
    def parcels(self):
        return sum(line.parcels for line in self.lines)


@dataclass
class PartnersReport:
    year: int
    month: int | None
    partners: list[PartnerStatement]

    @property
    def amount(self):
        return sum(p.amount for p in self.partners)

    @property
    def parcels(self):
        return sum(p.parcels for p in self.partners)


def partners_report(year: int, month: int | None = None) -> PartnersReport:
    fo = FacilityOrder
    owed = db.session.execute(
        select(Promotion.partner_id, PartnerOrganization.name, fo.facility_id, Facility.name,
               func.count(func.distinct(fo.id)), func.sum(ParcelDiscount.amount))
        .select_from(ParcelDiscount)
        .join(Promotion, Promotion.id == ParcelDiscount.promotion_id)
        .join(PartnerOrganization, PartnerOrganization.id == Promotion.partner_id)
        .join(fo, fo.id == ParcelDiscount.facility_order_id)
        .join(Facility, Facility.id == fo.facility_id)
        .join(Order, Order.id == fo.order_id)
        .where(_counted(year, month), ParcelDiscount.funding == "partner")
        .group_by(Promotion.partner_id, PartnerOrganization.name, fo.facility_id, Facility.name)
    ).all()
    statements: dict[int, PartnerStatement] = {}
    for partner_id, partner_name, facility_id, facility_name, parcels, amount in owed:
        statement = statements.setdefault(partner_id, PartnerStatement(partner_id, partner_name))
        statement.lines.append(PartnerLine(facility_id, facility_name, _int(parcels),
                                           _int(amount)))
    for statement in statements.values():
        statement.lines.sort(key=lambda line: (line.facility_name.casefold(), line.facility_id))
    ordered = sorted(statements.values(), key=lambda s: (s.name.casefold(), s.partner_id))
    return PartnersReport(year, month, ordered)

