"""Kanwil dashboard (/admin): the flagship target, pending flagship requests, sales this month
and this year, parcels waiting too long, low stock, and two charts.

Every figure comes from an aggregate query (GROUP BY in the database); the number of queries
does not grow with the number of orders. Periods are calendar months in WIT (UTC+9); the
database stores naive UTC.
"""

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import format_date
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import case, func, select
from sqlalchemy.orm import aliased, joinedload

from shop.accounts.access import role_required
from shop.accounts.models import User
from shop.admin import charts
from shop.admin.flagship import DecisionRefused, approve_request, refuse_request
from shop.catalog.flagship import active_facility_summaries
from shop.catalog.models import FlagshipRequest, Product
from shop.core.time import flagship_target_year, to_wit, utcnow
from shop.extensions import db
from shop.facilities.models import Facility
from shop.orders.models import FacilityOrder, FacilityOrderEvent, Order
from shop.payments import accounting

bp = Blueprint("admin", __name__, url_prefix="/admin")

CHART_MONTHS = 6
LIST_LIMIT = 20
PENDING_LIMIT = 50
# A parcel waits too long when it has been in its state longer than this (days).
STALL_DAYS = {"new": 2, "accepted": 2, "packed": 2, "ready_for_pickup": 7}


@bp.before_request
@role_required("admin")
def _admins_only():
    """Every route here: Kanwil admins only (anonymous -> sign-in, others 403)."""


@bp.context_processor
def _helpers():
    return {"number": lambda n: f"{int(n):,}".replace(",", "."),
            "stall_days": STALL_DAYS}


# ------------------------------------------------------------------ periods (WIT)


def _add_months(month_start: datetime, n: int) -> datetime:
    index = month_start.year * 12 + month_start.month - 1 + n
    return month_start.replace(year=index // 12, month=index % 12 + 1)


def _utc(dt_wit: datetime) -> datetime:
    return dt_wit.astimezone(UTC).replace(tzinfo=None)


@dataclass
class Periods:
    now: datetime  # naive UTC
    now_wit: datetime
    months: list[datetime]  # WIT month starts, oldest first, up to and including this month
    chart_from: int  # index in `months` of the first chart month
    year_from: int  # index in `months` of January of this year

    @classmethod
    def at(cls, now: datetime) -> "Periods":
        now_wit = to_wit(now)
        this_month = now_wit.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
        january = this_month.replace(month=1)
        first = min(january, _add_months(this_month, 1 - CHART_MONTHS))
        months = [first]
        while months[-1] < this_month:
            months.append(_add_months(months[-1], 1))
        return cls(now, now_wit, months, chart_from=len(months) - CHART_MONTHS,
                   year_from=months.index(january))

    @property
    def end(self) -> datetime:
        return _add_months(self.months[-1], 1)


# ------------------------------------------------------------------ flagship requests


def pending_requests():
    requester = aliased(User)
    rows = db.session.execute(
        select(FlagshipRequest, requester.name, requester.email)
        .outerjoin(requester, requester.id == FlagshipRequest.requested_by_id)
        .where(FlagshipRequest.status == "pending")
        .options(joinedload(FlagshipRequest.product).joinedload(Product.facility))
        .order_by(FlagshipRequest.created_at, FlagshipRequest.id)
        .limit(PENDING_LIMIT + 1)
    ).all()
    return rows[:PENDING_LIMIT], len(rows) > PENDING_LIMIT


# ------------------------------------------------------------------ sales


@dataclass
class Sales:
    orders: int = 0
    revenue: int = 0

    @property
    def average(self) -> int:
        """Average order value in whole rupiah (half up)."""
        return (2 * self.revenue + self.orders) // (2 * self.orders) if self.orders else 0

    def add(self, orders, revenue):
        self.orders += int(orders)
        self.revenue += int(revenue)


@dataclass
class FacilitySales:
    facility_id: int
    name: str
    active: bool
    month: Sales = field(default_factory=Sales)
    year: Sales = field(default_factory=Sales)
    chart: list[int] = field(default_factory=list)  # revenue per chart month


def sales(periods: Periods, active: list[Facility]):
    """Goods revenue and parcels by facility and WIT month: the figures of
    shop.payments.accounting (the sales report's, the desk's, the impact page's). An order with
    parcels from two facilities counts once for the whole shop."""
    start, end = _utc(periods.months[0]), _utc(periods.end)
    figures = accounting.month_figures(start, end)
    orders = accounting.orders_per_month(start, end)
    bucket = {(m.year, m.month): i for i, m in enumerate(periods.months)}

    rows = {f.id: FacilitySales(f.id, f.name, True) for f in active}
    for (fid, _year, _month), row in figures.items():
        if fid not in rows:  # a facility deactivated since: its sales still count
            rows[fid] = FacilitySales(fid, row.name, False)
    chart_len = len(periods.months) - periods.chart_from
    for row in rows.values():
        row.chart = [0] * chart_len
    total = FacilitySales(0, "", True)
    total.chart = [0] * chart_len

    def add(row, b, count, revenue):
        if b >= periods.year_from:
            row.year.add(count, revenue)
        if b == len(periods.months) - 1:
            row.month.add(count, revenue)
        if b >= periods.chart_from:
            row.chart[b - periods.chart_from] += int(revenue)

    for (fid, year, month), row in figures.items():
        add(rows[fid], bucket[(year, month)], row.parcels, row.goods_revenue)
        add(total, bucket[(year, month)], 0, row.goods_revenue)
    for (year, month), count in orders.items():
        add(total, bucket[(year, month)], count, 0)
    ordered = sorted(rows.values(), key=lambda r: (not r.active, r.name))
    return ordered, total


# ------------------------------------------------------------------ parcels waiting too long


def _since():
    """When the parcel entered its current state: payment for 'new', otherwise its latest
    event into that state (its last update when there is no event)."""
    entered = (select(func.max(FacilityOrderEvent.created_at))
               .where(FacilityOrderEvent.facility_order_id == FacilityOrder.id,
                      FacilityOrderEvent.to_status == FacilityOrder.status)
               .scalar_subquery())
    return case((FacilityOrder.status == "new", Order.paid_at),
                else_=func.coalesce(entered, FacilityOrder.updated_at))


def stalled(now: datetime):
    """Parcels in a desk state for longer than STALL_DAYS allows: the per-state counts and the
    LIST_LIMIT longest waiting, in one query (the counts are window aggregates over all of
    them, computed before the LIMIT)."""
    since = _since().label("since")
    deadline = case(*[(FacilityOrder.status == state, now - timedelta(days=days))
                      for state, days in STALL_DAYS.items()])
    per_state = [func.count(case((FacilityOrder.status == state, 1))).over().label(state)
                 for state in STALL_DAYS]
    oldest = (
        select(FacilityOrder.id, FacilityOrder.number, FacilityOrder.status,
               FacilityOrder.delivery, FacilityOrder.facility_id,
               Order.number.label("order_number"), since, *per_state)
        .join(Order, Order.id == FacilityOrder.order_id)
        .where(FacilityOrder.status.in_(list(STALL_DAYS)), Order.paid_at.isnot(None),
               _since() < deadline)
        .order_by(since, FacilityOrder.id)
        .limit(LIST_LIMIT)
        .subquery()
    )
    # The facility's name is joined to the LIST_LIMIT rows only (joined inside, it made SQLite
    # walk every parcel through the facility index).
    rows = db.session.execute(
        select(oldest, Facility.name.label("facility"))
        .join(Facility, Facility.id == oldest.c.facility_id)
        .order_by(oldest.c.since, oldest.c.id)
    ).mappings().all()
    counts = {state: rows[0][state] if rows else 0 for state in STALL_DAYS}
    return counts, [
        {"number": row["number"], "status": row["status"], "delivery": row["delivery"],
         "order": row["order_number"], "facility": row["facility"], "since": row["since"],
         "since_wit": to_wit(row["since"]), "days": (now - row["since"]).days}
        for row in rows
    ]


# ------------------------------------------------------------------ low stock


def low_stock():
    threshold = current_app.config["LOW_STOCK_THRESHOLD"]
    where = (Product.status == "active", Product.stock <= threshold,
             Facility.is_active.is_(True))
    count = db.session.scalar(
        select(func.count()).select_from(Product).join(Facility, Facility.id == Product.facility_id)
        .where(*where))
    rows = db.session.execute(
        select(Product.name, Product.slug, Product.stock, Facility.name)
        .join(Facility, Facility.id == Product.facility_id)
        .where(*where).order_by(Product.stock, Product.name, Product.id).limit(LIST_LIMIT)
    ).all()
    return threshold, count, rows


# ------------------------------------------------------------------ the page


def _year_arg() -> int:
    default = flagship_target_year()
    raw = request.args.get("year", "")
    if raw.isdigit() and len(raw) == 4 and 2000 <= int(raw) <= 2100:
        return int(raw)
    return default


def _month_label(month_wit: datetime, fmt="MMM") -> str:
    return format_date(month_wit.date(), fmt)


@bp.get("/")
def dashboard():
    return _render(_year_arg())


def _render(year: int, problem: tuple[int, str, str] | None = None):
    """The dashboard for target `year`; `problem` = (request id, message, typed reason) when a
    decision was refused: shown at that request's form, whose text is kept."""
    periods = Periods.at(utcnow())
    summaries = active_facility_summaries(year)  # the flagship target: one query
    target = current_app.config["FLAGSHIP_TARGET_COUNT"]
    requests_, more_requests = pending_requests()
    facility_sales, total = sales(periods, [s.facility for s in summaries])
    stall_counts, stall_rows = stalled(periods.now)
    threshold, low_count, low_rows = low_stock()

    chart_months = periods.months[periods.chart_from:]
    month_labels = [_month_label(m) for m in chart_months]
    chart_span = (f"{_month_label(chart_months[0], 'MMMM yyyy')} – "
                  f"{_month_label(chart_months[-1], 'MMMM yyyy')}")
    scale = max([1, *(v for row in facility_sales for v in row.chart)])
    sales_charts = [
        (row, charts.month_bars(
            row.chart, month_labels, scale,
            _("Grafik batang penjualan %(name)s per bulan, %(span)s", name=row.name,
              span=chart_span)))
        for row in facility_sales
    ]
    progress = charts.target_bars(
        [charts.ProgressRow(s.facility.name, s.flagship_count, s.meets_target,
                            f"{s.flagship_count}/{s.target}" if s.meets_target else
                            _("%(n)s/%(target)s · kurang %(missing)s", n=s.flagship_count,
                              target=s.target, missing=s.missing))
         for s in summaries],
        target,
        _("Grafik kemajuan target produk unggulan %(year)s: jumlah produk unggulan aktif tiap "
          "Lapas/Rutan terhadap target %(target)s", year=year, target=target),
        _("target %(n)s", n=target),
    )
    this_year = periods.now_wit.year
    config_year = flagship_target_year()
    years = sorted({*range(min(config_year, this_year) - 1, max(config_year, this_year) + 2),
                    year})
    return render_template(
        "admin/dashboard.html",
        year=year, years=years, target=target, summaries=summaries,
        met=sum(s.meets_target for s in summaries),
        requests=requests_, more_requests=more_requests,
        facility_sales=facility_sales, total=total, periods=periods,
        month_name=_month_label(periods.months[-1], "MMMM yyyy"),
        sales_charts=sales_charts, month_labels=month_labels, chart_span=chart_span,
        chart_month_names=[_month_label(m, "MMMM yyyy") for m in chart_months],
        progress_chart=progress,
        stall_counts=stall_counts, stall_rows=stall_rows, stall_total=sum(stall_counts.values()),
        threshold=threshold, low_count=low_count, low_rows=low_rows, problem=problem,
    ), 422 if problem else 200


# ------------------------------------------------------------------ flagship decisions


def _request_or_404(request_id) -> FlagshipRequest:
    flagship_request = db.session.get(FlagshipRequest, request_id)
    if flagship_request is None:
        abort(404)
    return flagship_request


def _form_year() -> int:
    raw = request.form.get("year", "")
    if raw.isdigit() and len(raw) == 4 and 2000 <= int(raw) <= 2100:
        return int(raw)
    return flagship_target_year()


def _decide(request_id, decide, success):
    """Run a decision; on success flash and go back to the dashboard (303), otherwise show the
    dashboard again with the problem at the request's form (422)."""
    flagship_request = _request_or_404(request_id)
    year = _form_year()
    reason = request.form.get("reason", "")
    try:
        decide(flagship_request, current_user._get_current_object(), reason)
    except DecisionRefused as exc:
        return _render(year, (flagship_request.id, exc.message, reason[:1000]))
    flash(success(flagship_request), "success")
    return redirect(url_for("admin.dashboard", year=year) + "#flagship-requests", code=303)


@bp.post("/flagship-requests/<int:request_id>/approve")
def approve_flagship(request_id):
    return _decide(request_id, approve_request, lambda r: _(
        "%(name)s ditetapkan sebagai produk unggulan %(year)s.", name=r.product.name,
        year=r.year))


@bp.post("/flagship-requests/<int:request_id>/refuse")
def refuse_flagship(request_id):
    return _decide(request_id, refuse_request, lambda r: _(
        "Usulan unggulan %(name)s ditolak.", name=r.product.name))
