"""The monthly close (/admin/reports/closing): months and their state, a month's figures and
its parcels still open, close (listing exceptions), reopen with a reason, statements per
facility as CSV and PDF. The rules are in shop.payments.month_close."""

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from shop.accounts.access import role_required
from shop.admin import statements
from shop.core.csvfile import csv_response
from shop.payments import accounting, reconciliation
from shop.payments import month_close as closing

bp = Blueprint("admin_closing", __name__, url_prefix="/admin/reports/closing")


@bp.before_request
@role_required("admin")
def _admins_only():
    """Every route here: Kanwil admins only."""


def _month_or_404(year, month):
    if not (2000 <= year <= 2100 and 1 <= month <= 12):
        abort(404)
    return year, month


@bp.get("/")
def index():
    months = closing.recent_months()
    closes = closing.closes_of(months)
    state = closing.month_state
    return render_template("admin/closing_index.html", months=months, closes=closes,
                           ended={m: state(*m).ended for m in months[:2]},
                           month_names=statements.MONTHS)


def _render_month(year, month, problem=None, status=200):
    state = closing.month_state(year, month)
    figures = sorted(accounting.period_figures(year, month).values(),
                     key=lambda f: (f.name.casefold(), f.facility_id))
    rows = {f.facility_id: f for f in state.close.figures} if state.closed else {}
    still_open = [] if state.closed else closing.open_parcels(year, month)
    return render_template(
        "admin/closing_month.html", year=year, month=month, state=state, rows=rows,
        figures=figures, total=accounting.total_of(figures), still_open=still_open,
        history=closing.history(year, month), problem=problem,
        month_name=f"{statements.MONTHS[month]} {year}"), status


@bp.get("/<int:year>/<int:month>")
def month(year, month):
    return _render_month(*_month_or_404(year, month))


@bp.post("/<int:year>/<int:month>/close")
def close(year, month):
    year, month = _month_or_404(year, month)
    try:
        closing.close_month(year, month, current_user._get_current_object(),
                            request.form.getlist("exception"))
    except closing.CloseRefused as exc:
        return _render_month(year, month, exc, 409)
    flash(_("Bulan %(month)s ditutup.", month=f"{statements.MONTHS[month]} {year}"), "success")
    return redirect(url_for(".month", year=year, month=month), code=303)


@bp.post("/<int:year>/<int:month>/reopen")
def reopen(year, month):
    year, month = _month_or_404(year, month)
    try:
        closing.reopen_month(year, month, current_user._get_current_object(),
                             request.form.get("reason", ""))
    except closing.CloseRefused as exc:
        return _render_month(year, month, exc, 409)
    flash(_("Bulan %(month)s dibuka kembali.", month=f"{statements.MONTHS[month]} {year}"),
          "success")
    return redirect(url_for(".month", year=year, month=month), code=303)


def _statement(year, month, slug):
    close = closing.current_close(*_month_or_404(year, month))
    if close is None:
        abort(404)
    for figure in close.figures:
        if figure.facility_slug == slug:
            return close, figure
    abort(404)


@bp.get("/<int:year>/<int:month>/<slug>.csv")
def statement_csv(year, month, slug):
    close, figure = _statement(year, month, slug)
    return csv_response(f"laporan-{slug}-{year}-{month:02d}.csv", ["baris", "nilai"],
                        statements.statement_rows(close, figure))


@bp.get("/<int:year>/<int:month>/<slug>.pdf")
def statement_pdf(year, month, slug):
    close, figure = _statement(year, month, slug)
    return Response(statements.statement_pdf(close, figure), mimetype="application/pdf",
                    headers={"Content-Disposition":
                             f'attachment; filename="laporan-{slug}-{year}-{month:02d}.pdf"'})


RECONCILIATION_HEADER = ["metode", "pesanan", "total_pesanan", "dikonfirmasi", "selisih",
                         "keterangan", "biaya_gateway", "bersih"]


@bp.get("/<int:year>/<int:month>/reconciliation")
def reconciliation_page(year, month):
    year, month = _month_or_404(year, month)
    return render_template("admin/reconciliation.html", year=year, month=month,
                           methods=reconciliation.reconcile(year, month),
                           month_name=f"{statements.MONTHS[month]} {year}")


@bp.get("/<int:year>/<int:month>/reconciliation.csv")
def reconciliation_csv(year, month):
    year, month = _month_or_404(year, month)
    rows = []
    for method in reconciliation.reconcile(year, month):
        rows.append([method.method, "JUMLAH", method.orders_paid, method.confirmed,
                     method.balance, f"pengembalian dibayar {method.refunds_paid}",
                     method.fees, method.net])
        rows += [[method.method, d.order, d.order_total, d.confirmed, d.confirmed - d.order_total,
                  d.note, "", ""] for d in method.differences]
    return csv_response(f"rekonsiliasi-{year}-{month:02d}.csv", RECONCILIATION_HEADER, rows)
