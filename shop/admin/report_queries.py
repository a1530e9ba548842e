"""The Kanwil reports: sales per facility per month with the premi / PNBP / working-capital
split, products per facility, and partner statements. Every figure comes from aggregate SQL
(GROUP BY facility, month, ...); Python only merges the grouped rows and splits each net.

Definitions (also shown on the report pages):

- Period: an order belongs to the WIT (UTC+9, Asia/Jayapura) month and year of its payment
  (`customer_order.paid_at`, stored in UTC). Orders never paid are not in any report.
- Counted parcel: a facility order whose order is paid and which is not cancelled. A parcel
  cancelled after payment is no sale: none of its amounts count, nor the refund that gave its
  money back; it only appears in the "cancelled" count.
- Gross sales: the sum of the counted parcels' line totals (`facility_order.subtotal`).
- Shipping collected: the shipping charged on the counted parcels (`facility_order.shipping`,
  before any free-shipping promotion).
- Facility-funded discounts: `parcel_discount.amount` with funding 'facility' (the facility
  bears them).
- Partner-funded discounts: `parcel_discount.amount` with funding 'partner'. The customer paid
  less, but the partner owes the amount to the facility, so the facility still earns it (the
  partner statement lists the same sums).
- Refunds: `refund.amount` (pending or succeeded; never failed ones) linked to a counted
  parcel, i.e. partial refunds of a parcel that still stands; counted in the month of the
  parcel's payment, not of the refund. Whole-payment refunds (late or double payments) belong
  to no parcel and to no sale, so they are not in the report.
- Net = gross sales + shipping collected - facility-funded discounts - refunds.
  (Equivalently: what the customers paid for the counted parcels, plus what partners owe,
  minus refunds.)
- Split: net is split into premi / PNBP / working capital by the facility's current
  percentages, in whole rupiah, largest remainder first (`shop.promotions.engine.allocate`),
  so that the three parts always add up to the net exactly. A negative net (refunds above the
  sales, possible only with unusual manual refunds) is split the same way with every part
  negative; a net of zero gives three zeros.
- Products: units sold and revenue (line totals, before discounts) of counted parcels, per
  product; stock and flagship status as they are now. A product deleted since keeps its sales
  under its name at the time of sale.
- Partner statement: per partner and facility, the partner-funded discounts of counted
  parcels: what the partner owes the facility for the period.
"""

from dataclasses import dataclass, field

from sqlalchemy import and_, case, func, or_, select

from shop.catalog.models import Product
from shop.core.money import allocate
from shop.core.sqltime import wit_month
from shop.core.time import to_wit, utcnow, wit_month_as_utc
from shop.extensions import db
from shop.facilities.models import Facility
from shop.orders.models import FacilityOrder, Order, OrderLine
from shop.payments.models import Refund
from shop.promotions.models import ParcelDiscount, Promotion
from shop.promotions.partners import PartnerOrganization

REFUND_STATUSES = ("pending", "succeeded")
SPLIT_PARTS = ("premi", "pnbp", "capital")


# ------------------------------------------------------------------ periods

def current_year() -> int:
    return to_wit(utcnow()).year


def first_paid_year() -> int | None:
    first = db.session.scalar(select(func.min(Order.paid_at)))
    return to_wit(first).year if first else None


def _in_period(year, month):
    start, end = wit_month_as_utc(year, month)
    return and_(Order.paid_at >= start, Order.paid_at < end)


def _counted(year, month):
    """Paid in the period and not cancelled."""
    return and_(_in_period(year, month), FacilityOrder.status != "cancelled")


def _int(value) -> int:
    return int(value or 0)  # SUM is NULL over no rows, and a Decimal on PostgreSQL


# ------------------------------------------------------------------ the split

def split_net(net: int, percents: tuple[int, int, int]) -> tuple[int, int, int]:
    """Split `net` by whole-number percentages (summing to 100) in whole rupiah, largest
    remainder first, so that the parts add up to `net` exactly. Negative nets split as the
    negated split of their absolute value."""
    if sum(percents) != 100 or min(percents) < 0:
        raise ValueError(f"percentages must be non-negative and sum to 100, got {percents}")
    if net == 0:
        return (0, 0, 0)
    size = abs(net)
    # allocate() caps the amount at the sum of the weights: scale the weights by the amount
    # (the shares and their remainders keep the same order).
    parts = allocate(size, [percent * size for percent in percents])
    sign = 1 if net > 0 else -1
    return tuple(sign * part for part in parts)


# ------------------------------------------------------------------ sales

@dataclass
class SalesRow:
    facility_id: int
    facility_name: str
    month: int | None  # None on a facility's total row and the grand total
    percents: tuple[int, int, int] | None
    parcels: int = 0
    cancelled: int = 0
    gross: int = 0
    shipping: int = 0
    facility_discounts: int = 0
    partner_discounts: int = 0
    refunds: int = 0
    premi: int = 0
    pnbp: int = 0
    capital: int = 0

    @property
    def net(self) -> int:
        return self.gross + self.shipping - self.facility_discounts - self.refunds

    def add(self, other: "SalesRow"):
        for name in ("parcels", "cancelled", "gross", "shipping", "facility_discounts",
                     "partner_discounts", "refunds", "premi", "pnbp", "capital"):
            setattr(self, name, getattr(self, name) + getattr(other, name))


@dataclass
class FacilitySales:
    facility_id: int
    name: str
    percents: tuple[int, int, int]
    months: list[SalesRow] = field(default_factory=list)
    total: SalesRow | None = None


@dataclass
class SalesReport:
    year: int
    month: int | None
    facilities: list[FacilitySales]
    total: SalesRow

    @property
    def rows(self) -> list[SalesRow]:
        return [row for facility in self.facilities for row in facility.months]


def sales_report(year: int, month: int | None = None) -> SalesReport:
    fo, month_key = FacilityOrder, wit_month(Order.paid_at)
    rows: dict[tuple[int, int], SalesRow] = {}

    def row(facility_id, month_number):
        key = (facility_id, int(month_number))
        if key not in rows:
            rows[key] = SalesRow(facility_id, "", int(month_number), None)
        return rows[key]

    not_cancelled = fo.status != "cancelled"
    parcels = db.session.execute(
        select(fo.facility_id, month_key,
               func.sum(case((not_cancelled, 1), else_=0)),
               func.sum(case((not_cancelled, 0), else_=1)),
               func.sum(case((not_cancelled, fo.subtotal), else_=0)),
               func.sum(case((not_cancelled, fo.shipping), else_=0)))
        .join(Order, Order.id == fo.order_id)
        .where(_in_period(year, month))
        .group_by(fo.facility_id, month_key)
    ).all()
    for facility_id, month_number, counted, cancelled, gross, shipping in parcels:
        target = row(facility_id, month_number)
        target.parcels, target.cancelled = _int(counted), _int(cancelled)
        target.gross, target.shipping = _int(gross), _int(shipping)

    discounts = db.session.execute(
        select(fo.facility_id, month_key, ParcelDiscount.funding, func.sum(ParcelDiscount.amount))
        .select_from(ParcelDiscount)
        .join(fo, fo.id == ParcelDiscount.facility_order_id)
        .join(Order, Order.id == fo.order_id)
        .where(_counted(year, month))
        .group_by(fo.facility_id, month_key, ParcelDiscount.funding)
    ).all()
    for facility_id, month_number, funding, amount in discounts:
        target = row(facility_id, month_number)
        if funding == "facility":
            target.facility_discounts += _int(amount)
        else:
            target.partner_discounts += _int(amount)

    refunds = db.session.execute(
        select(fo.facility_id, month_key, func.sum(Refund.amount))
        .select_from(Refund)
        .join(fo, fo.id == Refund.facility_order_id)
        .join(Order, Order.id == fo.order_id)
        .where(_counted(year, month), Refund.status.in_(REFUND_STATUSES))
        .group_by(fo.facility_id, month_key)
    ).all()
    for facility_id, month_number, amount in refunds:
        row(facility_id, month_number).refunds = _int(amount)

    facilities = {
        f.id: f for f in db.session.execute(
            select(Facility.id, Facility.name, Facility.premi_percent, Facility.pnbp_percent,
                   Facility.capital_percent)
            .where(Facility.id.in_({facility_id for facility_id, _ in rows}))
        ).all()
    } if rows else {}

    by_facility: dict[int, FacilitySales] = {}
    for (facility_id, _), sales in sorted(rows.items()):
        info = facilities[facility_id]
        percents = (info.premi_percent, info.pnbp_percent, info.capital_percent)
        sales.facility_name, sales.percents = info.name, percents
        sales.premi, sales.pnbp, sales.capital = split_net(sales.net, percents)
        group = by_facility.setdefault(
            facility_id, FacilitySales(facility_id, info.name, percents))
        group.months.append(sales)

    total = SalesRow(0, "", None, None)
    for group in by_facility.values():
        group.total = SalesRow(group.facility_id, group.name, None, group.percents)
        for sales in group.months:
            group.total.add(sales)
        total.add(group.total)
    ordered = sorted(by_facility.values(), key=lambda g: (g.name.casefold(), g.facility_id))
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

