"""Kanwil reports (/admin/reports): sales per facility per month with the premi / PNBP /
working-capital split, products per facility, partner statements; each on screen and as CSV.

The definitions (periods in WIT by payment time, which parcels count, what net means, how the
split is rounded) are in `shop.admin.report_queries` and on every report page.
"""

from flask import Blueprint, abort, render_template, request

from shop.accounts.access import role_required
from shop.admin import report_queries as q
from shop.catalog.models import PRODUCT_STATUS_LABELS
from shop.core.csvfile import csv_response
from shop.core.i18n import lazy_gettext as _l

bp = Blueprint("admin_reports", __name__, url_prefix="/admin/reports")

MONTHS = (None, _l("Januari"), _l("Februari"), _l("Maret"), _l("April"), _l("Mei"), _l("Juni"),
          _l("Juli"), _l("Agustus"), _l("September"), _l("Oktober"), _l("November"),
          _l("Desember"))


@bp.before_request
@role_required("admin")
def _admins_only():
    """Every route here: Kanwil admins only (anonymous -> sign-in, others 403)."""


@bp.context_processor
def _report_globals():
    return {"month_names": MONTHS, "product_status_labels": PRODUCT_STATUS_LABELS}


def _period():
    """?year=YYYY (default: this WIT year) and optional &month=1..12; anything else is a 400."""
    year_arg = request.args.get("year", "").strip()
    month_arg = request.args.get("month", "").strip()
    if not year_arg:
        year = q.current_year()
    elif year_arg.isdigit() and 2000 <= int(year_arg) <= 2100:
        year = int(year_arg)
    else:
        abort(400)
    if not month_arg:
        month = None
    elif month_arg.isdigit() and 1 <= int(month_arg) <= 12:
        month = int(month_arg)
    else:
        abort(400)
    return year, month


def _years():
    now = q.current_year()
    first = q.first_paid_year() or now
    return list(range(max(now, first), min(now, first) - 1, -1))


def _period_label(year, month):
    return f"{MONTHS[month]} {year}" if month else str(year)


def _csv(name, year, month, header, rows):
    period = f"{year}-{month:02d}" if month else str(year)
    return csv_response(f"{name}-{period}.csv", header, rows)


@bp.get("/")
def index():
    year, month = _period()
    return render_template("admin/reports_index.html", year=year, month=month, years=_years())


# ------------------------------------------------------------------ sales

SALES_HEADER = ["fasilitas", "bulan", "ditutup", "paket", "paket_batal", "unit",
                "penjualan_kotor", "diskon_ditanggung_fasilitas", "diskon_didanai_mitra",
                "pengembalian_barang", "pendapatan_barang", "pembagian", "premi", "pnbp",
                "modal_kerja", "ongkir_diterima", "diskon_ongkir", "kode_unik", "biaya_gateway",
                "terutang_mitra"]


def _sales_values(row):
    return [row.parcels, row.cancelled, row.units, row.gross, row.facility_discounts,
            row.partner_discounts, row.goods_refunds, row.goods_revenue, row.rule, row.premi,
            row.pnbp, row.capital, row.shipping, row.shipping_discounts, row.unique_codes,
            row.gateway_fees, row.partner_owed]


@bp.get("/sales")
def sales():
    year, month = _period()
    return render_template("admin/reports_sales.html", report=q.sales_report(year, month),
                           year=year, month=month, years=_years(),
                           period=_period_label(year, month))


@bp.get("/sales.csv")
def sales_csv():
    year, month = _period()
    report = q.sales_report(year, month)
    rows = [[row.name, f"{year}-{row.month:02d}", "ya" if row.closed else "tidak",
             *_sales_values(row)] for row in report.rows]
    total = report.total
    rows.append(["JUMLAH", str(year) if month is None else f"{year}-{month:02d}",
                 "ya" if report.closed else "tidak", *_sales_values(total)])
    return _csv("laporan-penjualan", year, month, SALES_HEADER, rows)


# ------------------------------------------------------------------ products

PRODUCTS_HEADER = ["fasilitas", "produk", "slug", "status", "unit_terjual", "pendapatan", "stok",
                   "unggulan_tahun"]


@bp.get("/products")
def products():
    year, month = _period()
    return render_template("admin/reports_products.html", report=q.products_report(year, month),
                           year=year, month=month, years=_years(),
                           period=_period_label(year, month))


@bp.get("/products.csv")
def products_csv():
    year, month = _period()
    report = q.products_report(year, month)
    rows = [[p.facility_name, p.name, p.slug, p.status or "dihapus", p.units, p.revenue,
             "" if p.stock is None else p.stock, p.flagship_year or ""] for p in report.rows]
    return _csv("laporan-produk", year, month, PRODUCTS_HEADER, rows)


# ------------------------------------------------------------------ partners

PARTNERS_HEADER = ["mitra", "fasilitas", "paket", "terutang"]


@bp.get("/partners")
def partners():
    year, month = _period()
    return render_template("admin/reports_partners.html", report=q.partners_report(year, month),
                           year=year, month=month, years=_years(),
                           period=_period_label(year, month))


@bp.get("/partners.csv")
def partners_csv():
    year, month = _period()
    report = q.partners_report(year, month)
    rows = [[statement.name, line.facility_name, line.parcels, line.amount]
            for statement in report.partners for line in statement.lines]
    rows.append(["JUMLAH", "", report.parcels, report.amount])
    return _csv("tagihan-mitra", year, month, PARTNERS_HEADER, rows)
