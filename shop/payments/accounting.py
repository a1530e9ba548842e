"""The money figures of the shop, one definition for every page that shows them: the Kanwil's
sales report and dashboard, a facility's own monthly summary on the staff desk, the monthly
close and its statements, and the public impact page (/dampak, /api/v1/impact).

Definitions (shown on the report pages):

- Period: a sale belongs to the WIT (UTC+9) month of its payment (`customer_order.paid_at`,
  naive UTC). Orders never paid are in no figure.
- Sales: a paid parcel (facility order) counts in its month; a parcel cancelled after payment
  is taken out again (and counted as "cancelled"): before its month is closed nothing of it
  remains in that month; after the close, the taking-out is an adjustment of the month in
  which the cancellation happened.
- Gross (line totals): the parcel's `subtotal`, the goods at their prices.
- Discounts on goods by funding: `parcel_discount.amount - shipping_part`. Facility-funded
  ones are borne by the facility and lower goods revenue; partner-funded ones are owed by
  the partner to the facility and stay in goods revenue.
- Refunds of goods: refunds (pending or succeeded, never failed) of a parcel that still
  stands, counted when they are made: in the sale's month while it is open, otherwise as an
  adjustment in the month of the refund. The refund that gives back a cancelled parcel is
  the cancellation itself, not a refund of goods; whole-payment refunds (late or double
  payments) belong to no parcel and to no sale.
- **Goods revenue = gross - facility-funded discounts on goods - refunds of goods.**
- Not split, reported apart: shipping collected (`facility_order.shipping`), shipping
  discounts (`parcel_discount.shipping_part`, free shipping), bank-transfer unique codes
  (`facility_order.unique_code_share`) and gateway fees (`facility_order.gateway_fee`): a
  payment's code and fee are spread over its order's parcels in proportion to their totals
  (shop.payments.fees) and counted with the sale; a later cancellation does not take them
  back (the code stays received, the gateway keeps its fee).
- Partner amounts owed: every partner-funded discount (goods and shipping parts).
- Split: goods revenue x the parcel's own percentages, fixed when it was paid
  (`facility_order.premi_percent` ...): per facility-month, each group of parcels with the same
  percentages is split in whole rupiah, largest remainder first, so the three parts of a row
  add up to its goods revenue exactly. Changing a facility's split changes later sales only.
- Closed months (shop.payments.month_close): their figures are the snapshot taken at the close
  and never change; changes of their sales made after the close (refunds, cancellations) are
  adjustments of the month in which they happen.
"""

from dataclasses import dataclass, field

from sqlalchemy import and_, case, exists, func, literal, or_, select, union_all

from shop.core.money import allocate
from shop.core.sqltime import wit_month, wit_year
from shop.core.time import to_wit, utcnow, wit_month_as_utc
from shop.extensions import db
from shop.facilities.models import Facility
from shop.orders.models import FacilityOrder, FacilityOrderEvent, Order, OrderLine
from shop.payments.closing_models import FIGURE_FIELDS, MonthClose, MonthCloseFigure
from shop.payments.models import Refund
from shop.promotions.models import ParcelDiscount

REFUND_STATUSES = ("pending", "succeeded")
PARTS = ("premi", "pnbp", "capital")
SUMMED = ("parcels", "cancelled", "units", "gross", "facility_discounts", "partner_discounts",
          "goods_refunds", "shipping", "shipping_discounts", "unique_codes", "gateway_fees",
          "partner_owed", "premi", "pnbp", "capital")


def split(amount: int, percents: tuple[int, int, int]) -> tuple[int, int, int]:
    """`amount` by whole-number percentages (summing to 100) in whole rupiah, largest remainder
    first; the parts add up to `amount` exactly. A negative amount splits as the negated split
    of its absolute value."""
    if sum(percents) != 100 or min(percents) < 0:
        raise ValueError(f"percentages must be non-negative and sum to 100, got {percents}")
    size = abs(amount)
    # allocate() caps the amount at the sum of the weights: scale them by the amount.
    parts = allocate(size, [percent * size for percent in percents])
    sign = 1 if amount >= 0 else -1
    return tuple(sign * part for part in parts)


@dataclass
class Figures:
    """A facility's figures for one WIT month (or the sum of several rows)."""

    facility_id: int
    name: str = ""
    slug: str = ""
    year: int | None = None
    month: int | None = None
    closed: bool = False
    parcels: int = 0
    cancelled: int = 0
    units: int = 0
    gross: int = 0
    facility_discounts: int = 0
    partner_discounts: int = 0
    goods_refunds: int = 0
    shipping: int = 0
    shipping_discounts: int = 0
    unique_codes: int = 0  # bank-transfer unique codes: reported apart, never split
    gateway_fees: int = 0  # the gateways' fees: reported apart, never split
    partner_owed: int = 0
    premi: int = 0
    pnbp: int = 0
    capital: int = 0
    rules: dict = field(default_factory=dict)  # percents -> goods revenue of those sales

    @property
    def goods_revenue(self) -> int:
        return self.gross - self.facility_discounts - self.goods_refunds

    @property
    def rule(self) -> str:
        """The percentages used, e.g. '50/15/35' (several when the split changed)."""
        return "; ".join("/".join(str(p) for p in percents) for percents in sorted(self.rules))

    def add(self, other: "Figures"):
        for name in SUMMED:
            setattr(self, name, getattr(self, name) + getattr(other, name))
        for percents, amount in other.rules.items():
            self.rules[percents] = self.rules.get(percents, 0) + amount
        self.closed = self.closed and other.closed

    def finish_split(self):
        """Split each group of sales with the same percentages; the parts sum exactly."""
        self.premi = self.pnbp = self.capital = 0
        for percents, amount in self.rules.items():
            parts = split(amount, percents)
            self.premi += parts[0]
            self.pnbp += parts[1]
            self.capital += parts[2]


def _int(value) -> int:
    return int(value or 0)  # SUM is NULL over no rows, and a Decimal on PostgreSQL


# ------------------------------------------------------------------ entries (SQL)

def _closed_before(moment):
    """SQL: the sale's month was closed (a close in force) at `moment`."""
    return (exists().where(MonthClose.reopened_at.is_(None),
                           MonthClose.starts_at <= Order.paid_at,
                           Order.paid_at < MonthClose.ends_at, MonthClose.closed_at <= moment)
            .correlate_except(MonthClose))


def _booked(moment):
    """SQL: when a change made at `moment` to a sale counts: the sale's own payment time while
    its month is open, `moment` (an adjustment) once the month was closed."""
    return case((_closed_before(moment), moment), else_=Order.paid_at)


def _cancelled_at():
    """SQL: when the paid parcel was cancelled (its first move to cancelled after payment)."""
    first = (select(func.min(FacilityOrderEvent.created_at))
             .where(FacilityOrderEvent.facility_order_id == FacilityOrder.id,
                    FacilityOrderEvent.to_status == "cancelled",
                    FacilityOrderEvent.created_at >= Order.paid_at)
             .correlate_except(FacilityOrderEvent)  # this parcel's, even inside an EXISTS
             .scalar_subquery())
    return func.coalesce(first, FacilityOrder.updated_at)


def _not_indexed(column):
    """The column in a form no index matches: cancellations and refunds are few, so they are
    read from the parcel status / refund side, not from every order paid before the end."""
    return func.coalesce(column, column)


def _month_starts(start, end) -> list:
    """The WIT month starts in [start, end) as naive UTC."""
    wit = to_wit(start)
    year, month, starts = wit.year, wit.month, []
    while True:
        month_start = wit_month_as_utc(year, month)[0]
        if month_start >= end:
            return starts
        starts.append((year, month, month_start))
        year, month = year + (month == 12), month % 12 + 1


def _bucket(column, starts):
    """SQL: the index in `starts` of the month `column` falls in (bounds as literals)."""
    return case(*[(column >= bound, literal(i)) for i, (_, _, bound) in reversed(
        list(enumerate(starts)))], else_=literal(-1))


def _percent_columns():
    """The parcel's own percentages; the facility's current ones for a parcel without (rows
    written outside the services)."""
    fo, f = FacilityOrder, Facility
    return (func.coalesce(fo.premi_percent, f.premi_percent).label("p1"),
            func.coalesce(fo.pnbp_percent, f.pnbp_percent).label("p2"),
            func.coalesce(fo.capital_percent, f.capital_percent).label("p3"))


def _parcel_entries(start, end, facility_id=None, starts=()):
    """One row per sale (+1 at payment) and per cancellation after payment (-1 when booked)."""
    fo = FacilityOrder
    base = (select().select_from(fo).join(Order, Order.id == fo.order_id)
            .join(Facility, Facility.id == fo.facility_id))
    if facility_id is not None:
        base = base.where(fo.facility_id == facility_id)
    sales = base.add_columns(
        fo.id.label("fo_id"), fo.facility_id.label("facility_id"),
        Order.paid_at.label("booked_at"), literal(1).label("sign"), *_percent_columns(),
        fo.subtotal.label("subtotal"), fo.shipping.label("shipping"),
        fo.unique_code_share.label("unique_code"), fo.gateway_fee.label("gateway_fee"),
    ).where(Order.paid_at >= start, Order.paid_at < end)
    booked = _booked(_cancelled_at())
    cancels = base.add_columns(
        fo.id.label("fo_id"), fo.facility_id.label("facility_id"), booked.label("booked_at"),
        literal(-1).label("sign"), *_percent_columns(),
        fo.subtotal.label("subtotal"), fo.shipping.label("shipping"),
        literal(0).label("unique_code"), literal(0).label("gateway_fee"),
    ).where(_not_indexed(Order.paid_at) < end, fo.status == "cancelled")
    entries = union_all(sales, cancels).subquery("entries")
    return select(entries, _bucket(entries.c.booked_at, starts).label("bucket")).where(
        entries.c.booked_at >= start, entries.c.booked_at < end).cte("parcel_entries")


def _refund_entries(end, facility_id=None):
    """Refunds of goods (+ when made) and their reversal when the parcel is cancelled later."""
    fo = FacilityOrder
    cancelled_at = _cancelled_at()
    counted = and_(Refund.status.in_(REFUND_STATUSES),
                   Refund.idempotency_key != literal("refund-") + fo.number,
                   or_(fo.status != "cancelled", Refund.created_at < cancelled_at))
    base = (select().select_from(Refund).join(fo, fo.id == Refund.facility_order_id)
            .join(Order, Order.id == fo.order_id).join(Facility, Facility.id == fo.facility_id)
            .where(_not_indexed(Order.paid_at) < end, counted,
                   # few parcels have refunds: start from them, not from every parcel
                   fo.id.in_(select(Refund.facility_order_id)
                             .where(Refund.status.in_(REFUND_STATUSES)))))
    if facility_id is not None:
        base = base.where(fo.facility_id == facility_id)
    made = base.add_columns(fo.facility_id.label("facility_id"),
                            _booked(Refund.created_at).label("booked_at"),
                            *_percent_columns(), Refund.amount.label("amount"))
    reversed_ = base.add_columns(fo.facility_id.label("facility_id"),
                                 _booked(cancelled_at).label("booked_at"),
                                 *_percent_columns(), (-Refund.amount).label("amount"),
                                 ).where(fo.status == "cancelled")
    return union_all(made, reversed_).subquery("refund_entries")


# the columns of one ledger row, in this order after facility_id, bucket, p1, p2, p3
LEDGER = ("parcels", "cancelled", "units", "gross", "shipping", "facility_discounts",
          "partner_discounts", "shipping_discounts", "partner_owed", "goods_refunds",
          "unique_codes", "gateway_fees")


def _ledger_row(head, **values):
    zero = literal(0)
    return (*head, *(values.get(name, zero).label(name) for name in LEDGER))


def _ledger(start, end, facility_id=None):
    """Every change of the money figures as signed rows (sales, cancellations, lines,
    discounts, refunds), all in one UNION ALL."""
    starts = _month_starts(start, end)
    e, pd = _parcel_entries(start, end, facility_id, starts), ParcelDiscount
    s = e.c.sign
    head = (e.c.facility_id, e.c.bucket, e.c.p1, e.c.p2, e.c.p3)
    parcels = select(*_ledger_row(
        head, parcels=s, cancelled=case((s < 0, 1), else_=0), gross=s * e.c.subtotal,
        shipping=s * e.c.shipping, unique_codes=e.c.unique_code,
        gateway_fees=e.c.gateway_fee)).select_from(e)
    units = select(*_ledger_row(head, units=s * OrderLine.quantity)).select_from(e).join(
        OrderLine, OrderLine.facility_order_id == e.c.fo_id)
    partner = pd.funding == "partner"
    goods_part = s * (pd.amount - pd.shipping_part)
    discounts = select(*_ledger_row(
        head, facility_discounts=case((partner, 0), else_=goods_part),
        partner_discounts=case((partner, goods_part), else_=0),
        shipping_discounts=s * pd.shipping_part,
        partner_owed=case((partner, s * pd.amount), else_=0),
    )).select_from(e).join(pd, pd.facility_order_id == e.c.fo_id)
    r = _refund_entries(end, facility_id)
    refunds = select(*_ledger_row((r.c.facility_id, _bucket(r.c.booked_at, starts).label("bucket"),
                                   r.c.p1, r.c.p2, r.c.p3), goods_refunds=r.c.amount)
                     ).where(r.c.booked_at >= start, r.c.booked_at < end)
    return union_all(parcels, units, discounts, refunds).subquery("ledger")


def _live(start, end, facility_id=None) -> dict:
    """{(facility id, year, month): Figures} from the orders, refunds and cancellations: one
    query (grouped by facility, WIT month and the parcels' percentages)."""
    ledger = _ledger(start, end, facility_id)
    starts = _month_starts(start, end)
    keys = (ledger.c.facility_id, ledger.c.bucket, ledger.c.p1, ledger.c.p2, ledger.c.p3)
    grouped = select(*keys, *(func.sum(ledger.c[name]).label(name) for name in LEDGER)
                     ).group_by(*keys).subquery("grouped")
    found = db.session.execute(
        select(grouped, Facility.name, Facility.slug)
        .join(Facility, Facility.id == grouped.c.facility_id)).mappings().all()
    rows: dict = {}
    for found_row in found:
        year, month, _ = starts[int(found_row["bucket"])]
        key = (found_row["facility_id"], year, month)
        row = rows.get(key)
        if row is None:
            row = rows[key] = Figures(key[0], found_row["name"], found_row["slug"], key[1],
                                      key[2])
        sums = {name: _int(found_row[name]) for name in LEDGER}
        for name, value in sums.items():
            setattr(row, name, getattr(row, name) + value)
        percents = (int(found_row["p1"]), int(found_row["p2"]), int(found_row["p3"]))
        revenue = sums["gross"] - sums["facility_discounts"] - sums["goods_refunds"]
        row.rules[percents] = row.rules.get(percents, 0) + revenue
    return rows


# ------------------------------------------------------------------ closed months

def _frozen(start, end, facility_id=None) -> tuple[set, dict]:
    """The closed months in [start, end) and their stored figures, in one query."""
    found = db.session.execute(
        select(MonthClose.year, MonthClose.month, MonthCloseFigure)
        .outerjoin(MonthCloseFigure, MonthCloseFigure.close_id == MonthClose.id)
        .where(MonthClose.reopened_at.is_(None), MonthClose.starts_at >= start,
               MonthClose.starts_at < end)).all()
    months, rows = set(), {}
    for year, month, snap in found:
        months.add((year, month))
        if snap is None or facility_id not in (None, snap.facility_id):
            continue
        row = Figures(snap.facility_id, snap.facility_name, snap.facility_slug, year, month,
                      closed=True)
        for name in ("parcels", "cancelled", "units", *FIGURE_FIELDS):
            if name != "goods_revenue":
                setattr(row, name, getattr(snap, name))
        row.rules = _rules(snap.rule, snap.goods_revenue)
        rows[(snap.facility_id, year, month)] = row
    return months, rows


def _rules(rule: str, goods_revenue: int) -> dict:
    """The stored rule text back as {percents: amount} (display only: the snapshot's parts are
    kept as stored, never split again); the whole amount goes with the first rule."""
    found = [tuple(int(p) for p in part.strip().split("/")) for part in rule.split(";")
             if part.strip()]
    return {percents: goods_revenue if i == 0 else 0 for i, percents in enumerate(found)}


# ------------------------------------------------------------------ the one entry point

def month_figures(start, end, facility_id=None, with_closed=True) -> dict:
    """{(facility id, year, month): Figures} for the WIT months in [start, end) (naive UTC
    month bounds), of every facility or one: closed months from their snapshot, open ones
    live. Two queries."""
    live = _live(start, end, facility_id)
    closed, frozen = _frozen(start, end, facility_id) if with_closed else (set(), {})
    rows = {key: row for key, row in live.items() if (key[1], key[2]) not in closed}
    for row in rows.values():
        row.finish_split()
    rows.update(frozen)
    return rows


def period_figures(year: int, month: int | None = None, facility_id=None) -> dict:
    """month_figures for one WIT year or month."""
    return month_figures(*wit_month_as_utc(year, month), facility_id=facility_id)


def total_of(rows, facility_id=0, name="") -> Figures:
    total = Figures(facility_id, name, closed=bool(rows))
    for row in rows:
        total.add(row)
    if not rows:
        total.closed = False
    return total


def per_facility(rows: dict) -> dict:
    """{facility id: Figures summed over the months}."""
    out: dict = {}
    for (facility_id, _, _), row in sorted(rows.items()):
        if facility_id not in out:
            out[facility_id] = Figures(facility_id, row.name, row.slug, row.year, closed=True)
        out[facility_id].add(row)
    return out


def orders_per_month(start, end) -> dict:
    """{(year, month): orders paid then with at least one parcel that still stands}: an order
    with parcels of two facilities counts once for the whole shop."""
    live = (select(FacilityOrder.id).where(FacilityOrder.order_id == Order.id,
                                           FacilityOrder.status != "cancelled").exists())
    y, m = wit_year(Order.paid_at), wit_month(Order.paid_at)
    rows = db.session.execute(
        select(y, m, func.count()).where(Order.paid_at >= start, Order.paid_at < end, live)
        .group_by(y, m)).all()
    return {(int(year), int(month)): int(count) for year, month, count in rows}


def closed_months(year: int) -> int:
    """How many months of the WIT year are closed."""
    start, end = wit_month_as_utc(year)
    return db.session.scalar(
        select(func.count(func.distinct(MonthClose.month))).where(
            MonthClose.reopened_at.is_(None), MonthClose.starts_at >= start,
            MonthClose.starts_at < end)) or 0


def current_year() -> int:
    return to_wit(utcnow()).year


def first_paid_year() -> int | None:
    first = db.session.scalar(select(func.min(Order.paid_at)))
    return to_wit(first).year if first else None

