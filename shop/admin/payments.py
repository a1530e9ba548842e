"""The Kanwil's payments desk (/admin/payments): open bank transfers, confirming or rejecting
one, the transfer proofs (private: streamed from storage to admins only), manual refund tasks,
and the payments overview per WIT day and way to pay (screen + CSV). Admins only."""

from datetime import date, datetime, timedelta

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from shop.accounts.access import role_required
from shop.admin.payments_forms import (
    ConfirmTransferForm,
    RefundPaidForm,
    RejectTransferForm,
)
from shop.core.csvfile import csv_response
from shop.core.money import format_rupiah
from shop.core.paging import page_arg
from shop.core.time import wit_today
from shop.extensions import db
from shop.orders.queries import order_for_page
from shop.orders.services import order_by_number
from shop.payments import desk_queries, manual_refunds, overview, transfers
from shop.payments.models import Refund
from shop.payments.services import Settlement

bp = Blueprint("admin_payments", __name__, url_prefix="/admin/payments")
MAX_OVERVIEW_DAYS = 366


@bp.before_request
@role_required("admin")
def _admins_only():
    """Every route here: Kanwil admins only (anonymous -> sign-in, others 403)."""


@bp.get("/")
def index():
    q = request.args.get("q", "").strip().upper()[:20]
    if q:
        if order_by_number(q) is None:
            flash(_("Pesanan %(n)s tidak ditemukan.", n=q), "error")
            return redirect(url_for("admin_payments.index"))
        return redirect(url_for("admin_payments.transfer", number=q))
    return render_template("admin/payments_index.html",
                           result=desk_queries.open_transfers(page_arg()))


def _order_or_404(number):
    order = order_by_number(number)
    if order is None:
        abort(404)
    return order


def _render_transfer(order, confirm_form=None, reject_form=None, mismatch=None, status=200):
    return render_template(
        "admin/payments_transfer.html", order=order_for_page(order.id),
        attempts=transfers.transfer_attempts(order),
        payment=transfers.transfer_to_confirm(order),
        confirm_form=confirm_form or ConfirmTransferForm(formdata=None),
        reject_form=reject_form or RejectTransferForm(formdata=None), mismatch=mismatch), status


@bp.get("/transfers/<number>")
def transfer(number):
    return _render_transfer(_order_or_404(number))


@bp.post("/transfers/<number>/confirm")
def confirm(number):
    order = _order_or_404(number)
    form = ConfirmTransferForm()
    if not form.validate_on_submit():
        return _render_transfer(order, confirm_form=form, status=422)
    try:
        done = transfers.confirm_transfer(order, form.amount.data, form.reference.data,
                                          current_user._get_current_object(), source="manual")
    except transfers.AmountMismatch as exc:
        return _render_transfer(order, confirm_form=form, mismatch=exc, status=409)
    except transfers.TransferError as exc:
        flash(exc.message, "error")
        return redirect(url_for("admin_payments.transfer", number=order.number))
    messages = {
        Settlement.PAID: _("Transfer pesanan %(n)s dikonfirmasi; paket diteruskan ke "
                           "Lapas/Rutan dan pembeli diberi tahu.", n=order.number),
        Settlement.ALREADY_PAID: _("Transfer pesanan %(n)s sudah dikonfirmasi sebelumnya; "
                                   "tidak ada yang berubah.", n=order.number),
        Settlement.NEEDS_REFUND: _("Transfer dikonfirmasi, tetapi stok pesanan %(n)s sudah "
                                   "habis: dana dikembalikan lewat tugas pengembalian manual.",
                                   n=order.number),
    }
    flash(messages[done.outcome], "success" if done.outcome == Settlement.PAID else "info")
    return redirect(url_for("admin_payments.index"))


@bp.post("/transfers/<number>/reject")
def reject(number):
    order = _order_or_404(number)
    form = RejectTransferForm()
    if not form.validate_on_submit():
        return _render_transfer(order, reject_form=form, status=422)
    try:
        transfers.reject_transfer(order, form.reason.data, current_user._get_current_object())
    except transfers.TransferError as exc:
        flash(exc.message, "error")
        return redirect(url_for("admin_payments.transfer", number=order.number))
    flash(_("Transfer pesanan %(n)s ditolak; pembeli diberi tahu.", n=order.number), "success")
    return redirect(url_for("admin_payments.index"))


@bp.get("/proofs/<int:payment_id>")
def proof(payment_id):
    """A transfer proof, inline, to admins only (never a public URL)."""
    payment = desk_queries.transfer_payment(payment_id)
    found = desk_queries.proof_file(payment) if payment else None
    if found is None:
        abort(404)
    data, content_type, ext = found
    order = desk_queries.order_by_payment(payment)
    return Response(data, mimetype=content_type, headers={
        "Content-Disposition": f'inline; filename="bukti-{order.number}-{payment.attempt}.{ext}"',
        "Cache-Control": "private, no-store", "X-Content-Type-Options": "nosniff"})


# ------------------------------------------------------------------ manual refunds

@bp.get("/refunds")
def refunds():
    open_, done = manual_refunds.refund_tasks()
    return render_template("admin/payments_refunds.html", open_tasks=open_, done=done,
                           form=RefundPaidForm(formdata=None))


@bp.post("/refunds/<int:refund_id>/paid")
def refund_paid(refund_id):
    refund = db.session.get(Refund, refund_id)
    if refund is None or not refund.manual:
        abort(404)
    form = RefundPaidForm()
    if not form.validate_on_submit():
        flash(" ".join(str(e) for errors in form.errors.values() for e in errors), "error")
        return redirect(url_for("admin_payments.refunds"))
    try:
        manual_refunds.mark_refund_paid(refund, form.reference.data,
                                        current_user._get_current_object())
    except manual_refunds.RefundTaskError as exc:
        flash(exc.message, "error")
    else:
        flash(_("Pengembalian dana %(a)s dicatat; pembeli diberi tahu dan data rekening "
                "dihapus.", a=format_rupiah(refund.amount)), "success")
    return redirect(url_for("admin_payments.refunds"))


# ------------------------------------------------------------------ overview

def _date(name, default):
    try:
        return datetime.strptime(request.args.get(name, ""), "%Y-%m-%d").date()
    except ValueError:
        return default


def _period() -> tuple[date, date]:
    today = wit_today()
    end = _date("to", today)
    start = _date("from", end - timedelta(days=13))
    if start > end:
        start, end = end, start
    return max(start, end - timedelta(days=MAX_OVERVIEW_DAYS)), end


@bp.get("/overview")
def overview_page():
    start, end = _period()
    rows, total = overview.overview(start, end)
    return render_template("admin/payments_overview.html", rows=rows, total=total,
                           start=start, end=end)


@bp.get("/overview.csv")
def overview_csv():
    start, end = _period()
    rows, _total = overview.overview(start, end)
    return csv_response(f"pembayaran-{start.isoformat()}-{end.isoformat()}.csv",
                        overview.CSV_HEADER, overview.csv_rows(rows))
